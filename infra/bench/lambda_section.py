"""The Lambda path, measured in fresh processes: cold start as deployed, peak RSS, warm calls, the
worker."""

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.bench.coldstart import ColdStart, measure_all
from infra.bench.matrix import Plan
from infra.bench.probe_env import last_line, probe_env, run_python


@dataclass(frozen=True)
class LambdaSection:
    """Everything measured about the handlers outside the HTTP path."""

    coldstarts: list[ColdStart]
    api: dict[str, Any]
    worker: dict[str, Any]

    def warm(self, path: str) -> dict[str, Any]:
        """The warm-invocation numbers for one path ({} if not measured)."""
        found: dict[str, Any] = next((w for w in self.api.get("warm", []) if w["path"] == path), {})
        return found


def _child(module: str, args: list[str], env: dict[str, str], timeout_s: float) -> dict[str, Any]:
    """Run a probe module that writes JSON to --out; on failure, say why."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        try:
            done = run_python(["-m", module, "--out", str(out), *args], env, timeout_s)
        except subprocess.TimeoutExpired:
            return {"reason": f"failed: ran past {timeout_s:.0f} s"}
        if done.returncode != 0 or not out.exists():
            return {"reason": f"failed: {last_line(done.stderr)}"}
        result: dict[str, Any] = json.loads(out.read_text())
        return result


def measure_lambda_path(plan: Plan, catalog_url: str) -> LambdaSection:
    """Run every Lambda-path measurement; the catalog should answer at 0 ms by now."""
    env = probe_env(catalog_url)
    coldstarts = measure_all(plan.cold_runs)
    budget = ["--budget-s", "60"]
    api = _child(
        "infra.bench.lambda_probe",
        ["--rss-invocations", str(plan.rss_invocations), "--calls", str(plan.warm_calls), *budget],
        env,
        180,
    )
    worker = _child(
        "infra.bench.worker_probe", ["--batches", str(plan.worker_batches), *budget], env, 180
    )
    return LambdaSection(coldstarts, api, worker)

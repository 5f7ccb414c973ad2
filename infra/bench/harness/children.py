"""Child processes: a Lambda-like environment, running `python`, and a probe's typed JSON result."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from infra.bench.harness.results_json import load
from infra.bench.harness.stacks import NO_AWS
from infra.local.processes import ROOT


def probe_env(catalog_url: str = "http://127.0.0.1:9", **extra: str) -> dict[str, str]:
    """os.environ plus what the local Lambda path sets (infra.local.services.lambda_service)."""
    return {
        **os.environ,
        **NO_AWS,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)]),
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "MovieApiBench",
        "POWERTOOLS_SERVICE_NAME": "movie-api",
        "CATALOG_URL": catalog_url,
        "CATALOG_CACHE_TTL_S": "0",
        **extra,
    }


def run_python(
    args: list[str], env: dict[str, str], timeout_s: float
) -> "subprocess.CompletedProcess[str]":
    """Run `python <args>` from the repo root; stdout and stderr captured; bounded in time."""
    return subprocess.run(  # noqa: S603 (our interpreter, our arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )


def last_line(text: str) -> str:
    """The last non-empty line of a process's output (where an error usually is)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def run_probe[T](
    module: str, args: list[str], env: dict[str, str], timeout_s: float, kind: type[T]
) -> T | str:
    """Run a probe module that writes its `kind` result as JSON to --out: that result, or why
    there is none (a probe that fails exits non-zero, its error on stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        try:
            done = run_python(["-m", module, "--out", str(out), *args], env, timeout_s)
        except subprocess.TimeoutExpired:
            return f"failed: ran past {timeout_s:.0f} s"
        if done.returncode != 0 or not out.exists():
            return f"failed: {last_line(done.stderr)}"
        return load(out.read_text(), kind)

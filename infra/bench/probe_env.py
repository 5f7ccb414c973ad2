"""The environment of a fresh Lambda-like process: handlers on the path, nothing leaves loopback."""

import os
import subprocess
import sys
from typing import Any

from infra.bench.stacks import NO_AWS
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


def as_float(value: Any) -> float:
    """A JSON number as float (NaN for anything else)."""
    return float(value) if isinstance(value, int | float) else float("nan")

"""The load generator interface, the ab floor, and picking a generator by name."""

import math
import shutil
from pathlib import Path
from typing import Protocol

from infra.bench.harness.ab import AbLoad, ab_missing_message
from infra.bench.harness.pyload import PythonLoad
from infra.bench.harness.results import LoadResult

LOADGENS = ("ab", "python", "auto")  # the --loadgen choices


class LoadGenerator(Protocol):
    """Sends n GET requests to url, c at a time, after one request alone (as ab does)."""

    name: str

    def run(self, url: str, n: int, c: int, log: Path, timeout_s: float) -> LoadResult:
        """Run the load; write the raw output to `log`; never exceed `timeout_s` by much."""
        ...


def ab_floor_s(n: int, c: int, latency_s: float) -> float:
    """The least time n requests at concurrency c can take when each takes `latency_s`.

    ab sends one request alone first, then keeps c in flight: L x (1 + ceil((n - 1) / c)).
    """
    return latency_s * (1 + math.ceil((n - 1) / c))


def ab_path() -> str | None:
    """Where ab is, or None."""
    return shutil.which("ab")


def get_loadgen(name: str) -> LoadGenerator:
    """`ab`, `python` (built in, for machines without ab) or `auto` (ab if installed)."""
    if name == "auto":
        name = "ab" if ab_path() else "python"
    if name == "ab":
        path = ab_path()
        if path is None:
            raise SystemExit(ab_missing_message())
        return AbLoad(path)
    if name == "python":
        return PythonLoad()
    raise ValueError(f"unknown load generator {name!r}: use ab, python or auto")

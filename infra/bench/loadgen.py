"""What every load generator returns, the ab floor, and picking a generator by name."""

import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

NAN = float("nan")


@dataclass(frozen=True)
class LoadResult:
    """One load run: n requests at concurrency c against one URL."""

    n: int
    c: int
    complete: int
    time_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    failed: int
    non_2xx: int
    log: Path
    error: str | None = None

    @property
    def good_rps(self) -> float:
        """2xx responses per second: what ab's req/s means when nothing failed."""
        if self.error or self.time_s <= 0:
            return NAN
        return max(0, self.complete - self.non_2xx) / self.time_s

    @property
    def ok(self) -> bool:
        """True if the generator itself ran to the end (requests may still have failed)."""
        return self.error is None


class LoadGenerator(Protocol):
    """Sends n GET requests to url, c at a time, after one request alone (as ab does)."""

    name: str

    def run(self, url: str, n: int, c: int, log: Path, timeout_s: float) -> LoadResult:
        """Run the load; write the raw output to `log`; never exceed `timeout_s` by much."""
        ...


def failed_result(n: int, c: int, log: Path, error: str) -> LoadResult:
    """A run that did not complete: every metric is NaN, `error` says why."""
    return LoadResult(n, c, 0, NAN, NAN, NAN, NAN, NAN, NAN, n, 0, log, error)


def ab_floor_s(n: int, c: int, latency_s: float) -> float:
    """The least time n requests at concurrency c can take when each takes `latency_s`.

    ab sends one request alone first, then keeps c in flight: L x (1 + ceil((n - 1) / c)).
    """
    return latency_s * (1 + math.ceil((n - 1) / c))


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (NaN if empty), as ab computes it."""
    if not sorted_values:
        return NAN
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def ab_path() -> str | None:
    """Where ab is, or None."""
    return shutil.which("ab")


def get_loadgen(name: str) -> LoadGenerator:
    """`ab`, `python` (built in, for machines without ab) or `auto` (ab if installed)."""
    from infra.bench.ab import AbLoad, ab_missing_message
    from infra.bench.pyload import PythonLoad

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

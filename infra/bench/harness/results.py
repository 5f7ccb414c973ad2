"""What every load generator returns, and the nearest-rank percentile they all report."""

import math
from dataclasses import dataclass
from pathlib import Path

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


def failed_result(n: int, c: int, log: Path, error: str) -> LoadResult:
    """A run that did not complete: every metric is NaN, `error` says why."""
    return LoadResult(n, c, 0, NAN, NAN, NAN, NAN, NAN, NAN, n, 0, log, error)


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (NaN if empty), as ab computes it."""
    if not sorted_values:
        return NAN
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]

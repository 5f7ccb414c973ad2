"""One measured run: reset the catalog's counter, send the load, read the upstream calls."""

import re
import time
from dataclasses import dataclass
from pathlib import Path

from infra.bench.harness.catalog_control import CatalogControl
from infra.bench.harness.loadgen import LoadGenerator, ab_floor_s
from infra.bench.harness.report import ratio
from infra.bench.harness.results import LoadResult


@dataclass(frozen=True)
class RunRecord:
    """A load run and what it cost upstream, with the floor it is compared to."""

    route: str
    latency_ms: int
    result: LoadResult
    upstream_calls: int
    floor_s: float
    floor_c: int

    @property
    def floor_ratio(self) -> float:
        """Time taken over the floor (NaN at zero latency, where the floor is zero)."""
        return ratio(self.result.time_s, self.floor_s)


def run_timeout_s(n: int, c: int, latency_ms: int, capacity: int | None) -> float:
    """A generous bound on one run: thrice its floor at the route's real concurrency, plus slack."""
    effective = min(c, capacity) if capacity else c
    return 60 + 3 * ab_floor_s(n, effective, latency_ms / 1000) + n / 20


class Runner:
    """Runs loads with one generator against one catalog; logs go to `log_dir`."""

    def __init__(self, loadgen: LoadGenerator, catalog: CatalogControl, log_dir: Path) -> None:
        self.loadgen = loadgen
        self.catalog = catalog
        self.log_dir = log_dir
        log_dir.mkdir(parents=True, exist_ok=True)

    def run(
        self,
        route: str,
        url: str,
        n: int,
        c: int,
        latency_ms: int,
        *,
        log_name: str | None = None,
        capacity: int | None = None,
        floor_capacity: int | None = None,
    ) -> RunRecord:
        """Measure `url`. `capacity` (requests the route serves at once) bounds the run's time;
        the floor uses min(c, floor_capacity) when that is given, else plain c."""
        name = log_name or re.sub(r"[^A-Za-z0-9]+", "-", f"{route}-c{c}-L{latency_ms}").strip("-")
        self.catalog.reset()
        timeout_s = run_timeout_s(n, c, latency_ms, capacity or floor_capacity)
        result = self.loadgen.run(url, n, c, self.log_dir / f"{name}.log", timeout_s)
        # Requests ab gave up on (or the API answered 504) may still hold a catalog call; let
        # them finish so they count here and do not load the next run.
        unclean = result.error or result.failed or result.non_2xx
        time.sleep(0.2 + (min(latency_ms, 5000) / 1000 if unclean else 0))
        calls = self.catalog.calls()
        floor_c = min(c, floor_capacity) if floor_capacity else c
        floor_s = ab_floor_s(n, floor_c, latency_ms / 1000)
        return RunRecord(route, latency_ms, result, calls, floor_s, floor_c)

"""The bench-full plan: which runs, in which order, with how many requests each."""

from dataclasses import dataclass
from typing import Literal

from infra.bench.harness.loadgen import ab_floor_s
from infra.bench.harness.stacks import THREADPOOL

Mode = Literal["full", "quick", "smoke"]
Key = tuple[str, int, int]  # a run's route key, catalog latency (ms) and concurrency


@dataclass(frozen=True)
class Route:
    """A route under test: where it is served and how many requests it can serve at once."""

    key: str
    label: str
    service: Literal["api", "lambda", "baseline"]
    path: str
    upstream: bool = True
    capacity_of: Literal["none", "threads", "environments"] = "none"


ROUTES = {
    r.key: r
    for r in (
        Route("blocking", "/blocking-movies", "api", "/blocking-movies", capacity_of="threads"),
        Route("movies", "/movies", "api", "/movies"),
        Route("lambda", "/movies (Lambda)", "lambda", "/movies", capacity_of="environments"),
        Route("aiohttp", "/aiohttp-movies", "baseline", "/aiohttp-movies"),
        Route("health", "/health", "api", "/health", upstream=False),
        Route("constant", "/constant", "baseline", "/constant", upstream=False),
    )
}
# Subject and baseline measured back to back; order alternates from cell to cell.
PAIRS = (("movies", "aiohttp"), ("health", "constant"))
SINGLES = ("blocking", "lambda")


@dataclass(frozen=True)
class Plan:
    """What bench-full measures."""

    mode: Mode
    concurrencies: tuple[int, ...]
    latencies_ms: tuple[int, ...]
    environments: int
    target_n: int
    target_c: int
    target_latency_ms: int
    cold_runs: int
    rss_invocations: int
    warm_calls: int
    worker_batches: int
    # Back-to-back subject/baseline pairs per throughput target cell: the matrix's own and
    # this many more, so a target is a median of pairs, not one sub-second run each.
    extra_pairs: int = 0


def make_plan(mode: Mode, environments: int = 10) -> Plan:
    """The full matrix, the quick one, or the smoke test's tiny one."""
    if mode == "smoke":
        return Plan(
            mode, (2,), (0,), environments=2, target_n=4, target_c=2, target_latency_ms=0,
            cold_runs=1, rss_invocations=20, warm_calls=20, worker_batches=2, extra_pairs=1,
        )  # fmt: skip
    return Plan(
        mode, (10, 100, 500), (0, 100, 3000), environments, target_n=200, target_c=100,
        target_latency_ms=3000, cold_runs=7, rss_invocations=100, warm_calls=1000,
        worker_batches=50, extra_pairs=2 if mode == "quick" else 4,
    )  # fmt: skip


def throughput_cells(plan: Plan) -> list[tuple[str, str, int]]:
    """(subject, baseline, c) of each throughput target, all at catalog latency 0: target (3)
    at the target concurrency, then (4) at each concurrency."""
    movies, health = PAIRS
    return [(*movies, plan.target_c)] + [(*health, c) for c in plan.concurrencies]


@dataclass(frozen=True)
class Step:
    """One load run of the matrix; n is None when the run is skipped (see note)."""

    route: Route
    latency_ms: int
    c: int
    n: int | None
    note: str = ""


def capacity(route: Route, plan: Plan) -> int | None:
    """How many requests the route serves at once, if it is bounded."""
    return {"threads": THREADPOOL, "environments": plan.environments}.get(route.capacity_of)


def size(route: Route, latency_ms: int, c: int, plan: Plan) -> tuple[int | None, str]:
    """n for one run, and a note when n is capped or the run skipped."""
    if plan.mode == "smoke":
        return 4, ""
    quick = plan.mode == "quick"
    if not route.upstream:
        return (max(4 * c, 1000) if quick else max(10 * c, 2000)), ""
    if latency_ms == 0:
        return (max(2 * c, 400) if quick else max(4 * c, 1000)), ""
    if latency_ms < 1000:
        return (max(c, 100) if quick else max(2 * c, 200)), ""
    cap = capacity(route, plan)
    if cap is None or c <= cap:
        return 2 * c, ""
    # ab sends at least c requests; at most `cap` run at once, so n = c already takes a while.
    expected_s = ab_floor_s(c, cap, latency_ms / 1000)
    budget_s = 20 if quick else 200
    if expected_s > budget_s:
        return None, f"skipped: ≥ {expected_s:.0f} s with {cap} at a time"
    return c, f"n = c: {cap} at a time, ≥ {expected_s:.0f} s"


def steps(plan: Plan) -> list[Step]:
    """Every run in order: by latency, then concurrency; pairs alternate which goes first."""
    order: list[Step] = []
    flip = False
    for latency_ms in plan.latencies_ms:
        for c in plan.concurrencies:
            keys: list[str] = []
            for subject, baseline in PAIRS:
                if ROUTES[subject].upstream or latency_ms == plan.latencies_ms[0]:
                    keys += [baseline, subject] if flip else [subject, baseline]
            flip = not flip
            keys += SINGLES
            for key in keys:
                route = ROUTES[key]
                n, note = size(route, latency_ms, c, plan)
                order.append(Step(route, latency_ms, c, n, note))
    return order

"""bench-cost results built by hand, for the tests of its targets, report and capacity model."""

from infra.bench.harness.aws_calls import Usage
from infra.bench.harness.results_json import RunInfo
from infra.bench.suites.cost.costs import Cost, Costing
from infra.bench.suites.cost.figures import MIX, Counted, RouteFigures
from infra.bench.suites.cost.prices import Prices
from infra.bench.suites.cost.probes import RepeatProbe, SharedPagesProbe, ThrottleProbe
from infra.bench.suites.cost.records import CostResults, ModeResults, Probes, Workload
from infra.bench.suites.cost.targets import cost_targets
from infra.bench.suites.cost.template_figures import TemplateFigures

TEMPLATE = TemplateFigures(
    api_memory_mb=1024,
    worker_memory_mb=512,
    api_reserved_concurrency=200,
    worker_reserved_concurrency=5,
    stage_rate_limit=100,
    stage_burst_limit=200,
    worker_max_concurrency=5,
    worker_batch_size=10,
    table_keys=["pk", "sk"],
    index_keys=["impressions", "trending"],
    index_partition_key="trending",
)
COSTING = Costing(Prices(), 1024, 512, 10, 40.0)
WORKLOAD = Workload(300, 40, 10, 17, 3000, 10, 5)


def route(
    name: str,
    requests: int,
    billed_ms: float,
    usd_per_million: float = 0.0,
    usage: Usage | None = None,
    catalog_calls: int = 0,
    counted_over: int = 1,
) -> RouteFigures:
    """A route every request of which was invoked and billed `billed_ms`."""
    cost = Cost(0.0, 0.0, 0.0, usd_per_million, 0.0, 0.0, 0.0)  # all in one part: total
    counted = Counted(counted_over, catalog_calls, usage or Usage())
    return RouteFigures(
        name, requests, requests, 0, 0, billed_ms, billed_ms, billed_ms, 0, billed_ms, counted, cost
    )


def mode(name: str, routes: list[RouteFigures], mix_billed_ms: float) -> ModeResults:
    """A mode of `routes`, its mix billed `mix_billed_ms` a request."""
    requests = sum(r.requests for r in routes)
    return ModeResults(name, {}, True, 60.0, 10, routes, route(MIX, requests, mix_billed_ms))


def probes(
    further_calls: int = 0, slowest_ms: float = 20.0, second_calls: int = 0, refused_ms: float = 3.0
) -> Probes:
    """Probes whose figures are the arguments (the defaults meet every target)."""
    return Probes(
        RepeatProbe("/movies?x", 200, 1, further_calls, [200] * 11, [5.0] * 10 + [slowest_ms]),
        SharedPagesProbe(True, [202, 202, 200, 200], 2, second_calls),
        ThrottleProbe(10, [200] * 10, 500, refused_ms),
    )


def results(modes: list[ModeResults], found: Probes | None = None) -> CostResults:
    """Whole results of `modes`, targets evaluated."""
    found = found or probes()
    targets = cost_targets(modes, found, WORKLOAD.latency_ms, WORKLOAD.lambda_concurrency)
    run = RunInfo("cost", "2 cores, test", "abc1234", "2026-12-07 12:00:00")
    return CostResults(run, WORKLOAD, TEMPLATE, COSTING, modes, found, targets)

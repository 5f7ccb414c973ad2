"""bench-cost's typed results: the workload, each caching mode's figures, probes and targets."""

from dataclasses import dataclass

from infra.bench.harness.report import Target
from infra.bench.harness.results_json import RunInfo
from infra.bench.suites.cost.costs import Costing
from infra.bench.suites.cost.figures import RouteFigures
from infra.bench.suites.cost.probes import RepeatProbe, SharedPagesProbe, ThrottleProbe
from infra.bench.suites.cost.template_figures import TemplateFigures


@dataclass(frozen=True)
class Workload:
    """What was sent, and to what."""

    requests: int  # in a pass
    users: int
    concurrency: int  # requests in flight
    seed: int
    latency_ms: int  # the catalog simulator's
    lambda_concurrency: int  # the stand-in's LAMBDA_CONCURRENCY
    probe_size: int  # requests per route when counting catalog calls and AWS usage by route


@dataclass(frozen=True)
class ModeResults:
    """One caching mode on a freshly started stack."""

    mode: str
    env: dict[str, str]  # the variables it gave the function ({}: the template's own)
    warmed_up: bool
    pass_s: float  # the measured pass's wall time
    environments_started: int  # Init Duration lines over the stack's life
    routes: list[RouteFigures]
    mix: RouteFigures
    # Distinct partition keys of the table's index at the end (the trending counters' shards);
    # runs from before it was counted read 1, the one key ("ALL") they had.
    index_partitions: int = 1


@dataclass(frozen=True)
class Probes:
    """Targets 2-4's probes on the as-shipped stack (a string: why one did not run)."""

    repeat: RepeatProbe | str
    shared: SharedPagesProbe | str
    throttle: ThrottleProbe | str


@dataclass(frozen=True)
class CostResults:
    """One bench-cost run."""

    run: RunInfo
    workload: Workload
    template: TemplateFigures
    costing: Costing
    modes: list[ModeResults]
    probes: Probes
    targets: list[Target]

    def mode(self, name: str) -> ModeResults | None:
        """The mode called `name`, if it ran."""
        return next((m for m in self.modes if m.mode == name), None)

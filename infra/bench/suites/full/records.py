"""full.json: bench-full's typed results, which full.md, the charts and the tests read."""

from dataclasses import dataclass

from infra.bench.harness.report import Target
from infra.bench.harness.results_json import RunInfo
from infra.bench.harness.runs import RunRecord
from infra.bench.suites.full.plan import Key, Plan, Step
from infra.bench.suites.lambda_path.section import LambdaSection


@dataclass(frozen=True)
class MatrixRun:
    """One step of the matrix and its run (None: skipped, the step's note says why)."""

    step: Step
    record: RunRecord | None


@dataclass(frozen=True)
class PairRun:
    """One run of the extra back-to-back pairs, at catalog latency 0."""

    route: str  # the route's key in plan.ROUTES
    c: int
    record: RunRecord


@dataclass(frozen=True)
class FullResults:
    """One bench-full run."""

    run: RunInfo
    plan: Plan
    loadgen: str
    duration_s: float
    matrix: list[MatrixRun]
    pairs: list[PairRun]
    cache_off: RunRecord  # targets (1) and (2): /movies with caching off, then on
    cache_on: RunRecord
    section: LambdaSection
    targets: list[Target]

    def by_key(self) -> dict[Key, RunRecord]:
        """The matrix's runs by (route key, catalog latency, c)."""
        return runs_by_key(self.matrix)

    def extra(self) -> dict[Key, list[RunRecord]]:
        """The extra pairs' runs by (route key, 0, c), in the order they ran."""
        return pairs_by_key(self.pairs)


def runs_by_key(matrix: list[MatrixRun]) -> dict[Key, RunRecord]:
    """The matrix's runs by (route key, catalog latency, c); skipped steps left out."""
    return {
        (m.step.route.key, m.step.latency_ms, m.step.c): m.record
        for m in matrix
        if m.record is not None
    }


def pairs_by_key(pairs: list[PairRun]) -> dict[Key, list[RunRecord]]:
    """Extra pair runs by (route key, 0, c), in order."""
    extra: dict[Key, list[RunRecord]] = {}
    for pair in pairs:
        extra.setdefault((pair.route, 0, pair.c), []).append(pair.record)
    return extra

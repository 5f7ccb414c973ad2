"""The targets bench-full checks, each a PASS or FAIL line with the measured ratio."""

import math
import statistics

from infra.bench.harness.report import Target, fmt, ratio
from infra.bench.harness.runs import RunRecord
from infra.bench.suites.coldstart.targets import coldstart_targets
from infra.bench.suites.full.plan import ROUTES, Key, Plan, throughput_cells
from infra.bench.suites.lambda_path.section import LambdaSection


def _clean(record: RunRecord) -> bool:
    result = record.result
    return result.ok and result.complete == result.n and not result.failed and not result.non_2xx


def _throughput(
    name: str, subjects: list[RunRecord], bases: list[RunRecord], at_least: float
) -> Target:
    """Subject ÷ baseline throughput, pair by pair (each pair back to back): the median decides."""
    ratios = [ratio(s.result.rps, b.result.rps) for s, b in zip(subjects, bases, strict=False)]
    ratios = [value for value in ratios if not math.isnan(value)]
    if not ratios:
        return Target(name, False, "not measured")
    value = statistics.median(ratios)
    first_s, first_b = subjects[0].result.rps, bases[0].result.rps
    detail = (
        f"median of {len(ratios)} pairs = {fmt(value, 2)} (target ≥ {at_least}); pairs "
        f"{', '.join(fmt(r, 2) for r in ratios)}; the first {fmt(first_s, 0)} ÷ "
        f"{fmt(first_b, 0)} req/s"
    )
    return Target(name, value >= at_least, detail)


def _runs(
    records: dict[Key, RunRecord], extra: dict[Key, list[RunRecord]], key: Key
) -> list[RunRecord]:
    """The matrix's run of `key`, then its extra pairs' runs."""
    first = [records[key]] if key in records else []
    return first + extra.get(key, [])


def evaluate_throughput(
    plan: Plan, records: dict[Key, RunRecord], extra: dict[Key, list[RunRecord]]
) -> list[Target]:
    """Targets (3) and (4): each the median of its back-to-back pairs."""
    targets = []
    for subject, baseline, c in throughput_cells(plan):
        runs = {key: _runs(records, extra, (key, 0, c)) for key in (subject, baseline)}
        label = f"{ROUTES[subject].label} ÷ {ROUTES[baseline].label} throughput"
        number, at_least = ("(3)", 0.85) if subject == "movies" else ("(4)", 0.9)
        name = f"{number} {label}, catalog 0 ms, c={c}"
        targets.append(_throughput(name, runs[subject], runs[baseline], at_least))
    return targets


def evaluate(
    plan: Plan,
    records: dict[Key, RunRecord],
    extra: dict[Key, list[RunRecord]],
    uncached: RunRecord,
    cached: RunRecord,
    section: LambdaSection,
) -> list[Target]:
    """Targets (1)-(6) from this run's measurements."""
    shape = f"{plan.target_n}@{plan.target_c}, catalog {plan.target_latency_ms / 1000:g} s"
    limit_s = plan.target_latency_ms / 1000 + 0.5
    targets = [
        Target(
            f"(1) /movies {shape}, caching off",
            uncached.floor_ratio <= 1.05 and _clean(uncached),
            f"time ÷ floor = {fmt(uncached.result.time_s, 2)} ÷ {fmt(uncached.floor_s, 1)} s = "
            f"{fmt(uncached.floor_ratio, 3)} (target ≤ 1.05, no failures)",
        ),
        Target(
            f"(2) /movies {shape}, caching on (CATALOG_CACHE_TTL_S=60)",
            cached.result.time_s <= limit_s
            and cached.upstream_calls == 1
            and uncached.upstream_calls == plan.target_n
            and _clean(cached),
            f"{fmt(cached.result.time_s, 2)} s (target ≤ {limit_s:g} s, ratio "
            f"{fmt(ratio(cached.result.time_s, limit_s), 2)}), upstream calls "
            f"{cached.upstream_calls} (target 1); caching off: {uncached.upstream_calls} "
            f"(target {plan.target_n})",
        ),
        *evaluate_throughput(plan, records, extra),
    ]
    warm = section.warm("/health")
    health_ms = warm.median_ms if warm else math.nan
    targets.append(
        Target(
            "(5) warm /health invocation of handlers.api",
            health_ms <= 1.0,
            f"median {fmt(health_ms, 3)} ms (target ≤ 1, ratio {fmt(health_ms, 2)})",
        )
    )
    return targets + coldstart_targets(section.coldstarts)

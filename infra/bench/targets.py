"""The targets bench-full checks, each a PASS or FAIL line with the measured ratio."""

import math
from dataclasses import dataclass

from infra.bench.coldstart import ColdStart
from infra.bench.lambda_section import LambdaSection
from infra.bench.matrix import Plan
from infra.bench.probe_env import as_float
from infra.bench.report import fmt, ratio
from infra.bench.runs import RunRecord

Key = tuple[str, int, int]  # route key, catalog latency (ms), concurrency


@dataclass(frozen=True)
class Target:
    """One checked target."""

    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        """`PASS  (n) what: measured (target)`."""
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


def _clean(record: RunRecord) -> bool:
    result = record.result
    return result.ok and result.complete == result.n and not result.failed and not result.non_2xx


def _throughput(
    name: str, subject: RunRecord | None, base: RunRecord | None, at_least: float
) -> Target:
    if subject is None or base is None:
        return Target(name, False, "not measured")
    value = ratio(subject.result.rps, base.result.rps)
    detail = (
        f"{fmt(subject.result.rps, 0)} ÷ {fmt(base.result.rps, 0)} req/s = {fmt(value, 2)} "
        f"(target ≥ {at_least})"
    )
    return Target(name, not math.isnan(value) and value >= at_least, detail)


def evaluate(
    plan: Plan,
    records: dict[Key, RunRecord],
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
        _throughput(
            f"(3) /movies ÷ /aiohttp-movies throughput, catalog 0 ms, c={plan.target_c}",
            records.get(("movies", 0, plan.target_c)),
            records.get(("aiohttp", 0, plan.target_c)),
            0.85,
        ),
    ]
    for c in plan.concurrencies:
        targets.append(
            _throughput(
                f"(4) /health ÷ /constant throughput, c={c}",
                records.get(("health", 0, c)),
                records.get(("constant", 0, c)),
                0.9,
            )
        )
    health_ms = as_float(section.warm("/health").get("median_ms"))
    targets.append(
        Target(
            "(5) warm /health invocation of handlers.api",
            health_ms <= 1.0,
            f"median {fmt(health_ms, 3)} ms (target ≤ 1, ratio {fmt(health_ms, 2)})",
        )
    )
    return targets + coldstart_targets(section.coldstarts)


# Init as deployed at most this many times its floor from the same copy (import fastapi for the
# API; import pydantic, boto3 for the worker).
INIT_FLOOR_RATIO = 1.5


def coldstart_targets(colds: list[ColdStart]) -> list[Target]:
    """(6) each handler's init ÷ its floor, as deployed (infra.bench.coldstart)."""
    targets = []
    for cold in colds:
        name = f"(6) {cold.subject.handler} init ÷ {' + '.join(cold.subject.floor)} as deployed"
        if cold.reason:
            targets.append(Target(name, False, cold.reason))
            continue
        value = cold.ratio
        targets.append(
            Target(
                name,
                value <= INIT_FLOOR_RATIO,
                f"{fmt(cold.median_init_s * 1000, 0)} ÷ {fmt(cold.median_floor_s * 1000, 0)} ms "
                f"= {fmt(value, 2)} (target ≤ {INIT_FLOOR_RATIO})",
            )
        )
    return targets

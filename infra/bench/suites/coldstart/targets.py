"""Target (6): each handler's init as deployed against its floor from the same copy."""

from infra.bench.harness.report import Target, fmt
from infra.bench.suites.coldstart.measure import ColdStart

# Init as deployed at most this many times its floor from the same copy (import fastapi for the
# API; import pydantic, boto3 for the worker).
INIT_FLOOR_RATIO = 1.5


def coldstart_targets(colds: list[ColdStart]) -> list[Target]:
    """(6) each handler's init ÷ its floor, as deployed (infra.bench.suites.coldstart.measure)."""
    targets = []
    for cold in colds:
        name = f"(6) {cold.handler} init ÷ {' + '.join(cold.floor)} as deployed"
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

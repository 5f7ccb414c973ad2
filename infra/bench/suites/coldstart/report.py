"""coldstart.md and the cold-start section of full.md: medians, ratios, where the time goes."""

from infra.bench.harness.report import DASH, fmt, markdown_table
from infra.bench.suites.coldstart.measure import ColdStart


def _ms(seconds: float) -> str:
    return fmt(seconds * 1000, 0)


def _summary(colds: list[ColdStart]) -> str:
    rows = []
    for cold in colds:
        floor = " + ".join(f"`import {m}`" for m in cold.floor)
        if cold.reason:
            rows.append([f"`{cold.handler}`", cold.reason, floor, DASH, DASH, DASH, DASH])
            continue
        first = (
            " · ".join(
                f"`{name}` {_ms(cold.median_invocation_s(i))}" for i, name in enumerate(cold.names)
            )
            or DASH
        )
        rows.append([
            f"`{cold.handler}`", _ms(cold.median_init_s), floor, _ms(cold.median_floor_s),
            f"**{fmt(cold.ratio, 2)}**", first, _ms(cold.median_init_and_first_s),
        ])  # fmt: skip
    headers = ["handler", "init (ms)", "floor", "floor (ms)", "init ÷ floor", "invocations (ms)",
               "init + first (ms)"]  # fmt: skip
    return markdown_table(headers, rows)


def _costs(cold: ColdStart) -> str:
    if not cold.costs:
        return ""
    handler = cold.handler
    by_cumulative = [
        [f"`{'· ' * (c.depth - 1)}{c.module}`", fmt(c.cumulative_ms, 1), fmt(c.self_ms, 1)]
        for c in cold.top(12, max_depth=2)
    ]
    beyond = cold.beyond_floor()
    by_self = [[f"`{c.module}`", fmt(c.self_ms, 1)] for c in beyond[:12]]
    total = sum(c.self_ms for c in beyond)
    return (
        f"\n`-X importtime -c 'import {handler}'` (one run; importtime itself slows imports), "
        "what the handler imports, by cumulative time, two levels deep:\n\n"
        + markdown_table(["module", "cumulative (ms)", "self (ms)"], by_cumulative)
        + f"\nBeyond the floor: the {len(beyond)} modules `{handler}` imports that "
        f"`import {', '.join(cold.floor)}` does not, {fmt(total, 0)} ms of self time "
        "in all; the costliest:\n\n" + markdown_table(["module", "self (ms)"], by_self)
    )


def render_coldstart(colds: list[ColdStart], runs: int) -> str:
    """The cold-start section: medians, ratios, first invocations, where the time goes."""
    return (
        "## Cold start as deployed\n\n"
        "A read-only copy of the x86_64 twin (`make build LAMBDA_ARCH=x86_64`: the arm64 "
        "artifact's packages and bytecode, for x86_64), CPython 3.13 `-S -P`, "
        "`PYTHONDONTWRITEBYTECODE=1`, "
        f"the environment template.yaml gives each function (tracing on) plus the runtime's. "
        f"Median of {runs} fresh processes; each handler run is followed by one of its floor from "
        f"the same copy. Init: `importlib.import_module(handler)`. Invocations: the handler called "
        f"with each sample event in turn, in the same process, the first being the cold one; the "
        f"catalog is a closed port, so `/movies` is a quick 502 and its time is the client's "
        f"own. The worker's: a batch of ten new messages (ratings and impressions) written to "
        f"DynamoDB on moto in server mode on loopback, so its time includes moto's.\n\n"
        + _summary(colds)
        + "".join(_costs(cold) for cold in colds)
    )

"""`make bench-coldstart`: both handlers' cold start as deployed, against their floors, as markdown.

Needs the x86_64 twin (`make build LAMBDA_ARCH=x86_64`, which the make target runs first) and a
CPython 3.13. Writes bench-results/coldstart.md; prints it and the targets, never fails on a miss.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from infra.bench.coldstart import ColdStart, measure_all
from infra.bench.machine import describe
from infra.bench.report import fmt, markdown_table
from infra.bench.targets import Target, coldstart_targets

DASH = "–"  # noqa: RUF001 (an en dash: no value)


def _ms(seconds: float) -> str:
    return fmt(seconds * 1000, 0)


def _summary(colds: list[ColdStart]) -> str:
    rows = []
    for cold in colds:
        subject = cold.subject
        floor = " + ".join(f"`import {m}`" for m in subject.floor)
        if cold.reason:
            rows.append([f"`{subject.handler}`", cold.reason, floor, DASH, DASH, DASH, DASH])
            continue
        first = (
            " · ".join(
                f"`{name}` {_ms(cold.median_invocation_s(i))}" for i, name in enumerate(cold.names)
            )
            or DASH
        )
        rows.append([
            f"`{subject.handler}`", _ms(cold.median_init_s), floor, _ms(cold.median_floor_s),
            f"**{fmt(cold.ratio, 2)}**", first, _ms(cold.median_init_and_first_s),
        ])  # fmt: skip
    headers = ["handler", "init (ms)", "floor", "floor (ms)", "init ÷ floor", "invocations (ms)",
               "init + first (ms)"]  # fmt: skip
    return markdown_table(headers, rows)


def _costs(cold: ColdStart) -> str:
    if not cold.costs:
        return ""
    handler = cold.subject.handler
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
        f"`import {', '.join(cold.subject.floor)}` does not, {fmt(total, 0)} ms of self time "
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


def main(argv: Sequence[str] | None = None) -> int:
    """Command line for `make bench-coldstart`."""
    parser = argparse.ArgumentParser(prog="python -m infra.bench.coldstart_report")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    colds = measure_all(args.runs)
    targets: list[Target] = coldstart_targets(colds)
    report = (
        f"Machine: {describe(None)}.\n\n"
        + render_coldstart(colds, args.runs)
        + "\n```text\n"
        + "\n".join(t.line() for t in targets)
        + "\n```\n"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "coldstart.md").write_text(report)
    print(report)
    return 0 if all(not c.reason for c in colds) else 1


if __name__ == "__main__":
    sys.exit(main())

"""`make bench-coldstart`: both handlers' cold start as deployed, against their floors.

Needs the x86_64 twin (`make build LAMBDA_ARCH=x86_64`, which the make target runs first) and a
CPython 3.13. Writes bench-results/coldstart.json and, from it, coldstart.md; prints the report
and the targets, never fails on a miss (only when a handler could not be measured).
"""

import argparse
from dataclasses import dataclass
from pathlib import Path

from infra.bench.harness.report import Target
from infra.bench.harness.results_json import RunInfo, read_results, run_info, write_results
from infra.bench.suites.coldstart.measure import ColdStart, measure_all
from infra.bench.suites.coldstart.report import render_coldstart
from infra.bench.suites.coldstart.targets import coldstart_targets

SUITE = "coldstart"


@dataclass(frozen=True)
class ColdstartResults:
    """One bench-coldstart run: each handler's cold starts and target (6)."""

    run: RunInfo
    runs: int
    coldstarts: list[ColdStart]
    targets: list[Target]


def render_report(results: ColdstartResults) -> str:
    """coldstart.md, from coldstart.json's results."""
    return (
        f"Machine: {results.run.machine}.\n\n"
        + render_coldstart(results.coldstarts, results.runs)
        + "\n```text\n"
        + "\n".join(t.line() for t in results.targets)
        + "\n```\n"
    )


def run_coldstart(out: Path, runs: int) -> ColdstartResults:
    """Measure, write coldstart.json, then coldstart.md from it; return what was read back."""
    info = run_info(SUITE, None)
    colds = measure_all(runs)
    path = write_results(out, SUITE, ColdstartResults(info, runs, colds, coldstart_targets(colds)))
    results = read_results(path, ColdstartResults)
    (out / "coldstart.md").write_text(render_report(results))
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """bench-coldstart's options: RUNS, BENCH_OUT."""
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--out", type=Path, default=Path("bench-results"))


def main(args: argparse.Namespace) -> int:
    """Run it and print the report; non-zero only if a handler was not measured."""
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    results = run_coldstart(args.out, args.runs)
    print(render_report(results))
    return 0 if all(not c.reason for c in results.coldstarts) else 1

"""`make bench-full`: the matrix past the lesson, its baselines, the Lambda path, the targets.

Concurrency 10/100/500 x catalog latency 0/100/3000 ms x /blocking-movies, /movies and /movies
through the Lambda handler, each beside its baseline (/aiohttp-movies; /health beside /constant),
measured back to back in one run. Writes bench-results/full.md and PNG charts; prints the targets
as PASS/FAIL lines and never fails on a missed target.
"""

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

from infra.bench.catalog_control import CatalogControl
from infra.bench.charts import latency_chart, throughput_chart
from infra.bench.full_report import render_full
from infra.bench.full_run import extra_runs, run_cache_pair, run_extra_pairs, run_matrix, warm_up
from infra.bench.lambda_report import render_lambda_section
from infra.bench.lambda_section import measure_lambda_path
from infra.bench.loadgen import get_loadgen
from infra.bench.machine import describe
from infra.bench.matrix import Mode, Plan, make_plan, steps
from infra.bench.runs import Runner
from infra.bench.stacks import bench_stack
from infra.bench.targets import Target, evaluate


@dataclass(frozen=True)
class FullRun:
    """What a bench-full run produced."""

    report: Path
    charts: list[Path]
    targets: list[Target]


def run_full(plan: Plan, out: Path, loadgen_name: str = "ab") -> FullRun:
    """Start everything, measure, write full.md and the charts into `out`."""
    loadgen = get_loadgen(loadgen_name)
    started = time.monotonic()
    runs_dir = out / "full"
    stack, urls = bench_stack(
        0,
        out / "logs" / "full",
        lambda_path=True,
        baseline=True,
        cached=True,
        environments=plan.environments,
    )
    with stack:
        catalog = CatalogControl(urls.catalog)
        runner = Runner(loadgen, catalog, runs_dir)
        print("warming up every route at 0 ms ...", flush=True)
        warm_up(runner, plan, urls, catalog)
        pairs_n = extra_runs(plan)
        total = len(steps(plan)) + pairs_n + 2
        matrix, by_key = run_matrix(plan, urls, runner, catalog, extra_runs=pairs_n + 2)
        first_pair = len(steps(plan)) + 1
        extra = run_extra_pairs(plan, urls, runner, catalog, first_pair, total)
        uncached, cached = run_cache_pair(plan, urls, runner, catalog, total - 1, total)
        catalog.set_latency(0)
        print("Lambda path: cold imports, RSS, warm invocations, worker ...", flush=True)
        section = measure_lambda_path(plan, urls.catalog)
    targets = evaluate(plan, by_key, extra, uncached, cached, section)
    charts = [out / "throughput.png", out / "latency.png"]
    throughput_chart(plan, by_key, charts[0])
    latency_chart(plan, by_key, charts[1])
    header = (
        f"Machine: {describe(loadgen.name)}.  \n"
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {time.monotonic() - started:.0f} s in all. "
        f"Every API under uvicorn (uvloop, httptools, one process) with caching off "
        f"(CATALOG_CACHE_TTL_S=0) except where target (2) turns it on; the Lambda path runs "
        f"{plan.environments} execution environments (LAMBDA_ENVIRONMENTS). "
        f"Raw output per run: {runs_dir}/."
    )
    lambda_md = render_lambda_section(section, plan.cold_runs)
    report = out / "full.md"
    report.write_text(render_full(plan, header, targets, matrix, by_key, lambda_md))
    return FullRun(report, charts, targets)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line for `make bench-full`."""
    parser = argparse.ArgumentParser(prog="python -m infra.bench.full", description=__doc__)
    parser.add_argument("--mode", choices=get_args(Mode), default="full")
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument("--loadgen", choices=["ab", "python", "auto"], default="ab")
    parser.add_argument(
        "--environments", type=int, default=int(os.environ.get("LAMBDA_ENVIRONMENTS", "10"))
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    result = run_full(make_plan(args.mode, args.environments), args.out, args.loadgen)
    print("\n" + "\n".join(t.line() for t in result.targets))
    print(f"\nreport: {result.report}; charts: {', '.join(str(c) for c in result.charts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench-full`: the matrix past the lesson, its baselines, the Lambda path, the targets.

Concurrency 10/100/500 x catalog latency 0/100/3000 ms x /blocking-movies, /movies and /movies
through the Lambda handler, each beside its baseline (/aiohttp-movies; /health beside /constant),
measured back to back in one run. Writes bench-results/full.json, then, from it, full.md and PNG
charts; prints the targets as PASS/FAIL lines and never fails on a missed target.
"""

import argparse
import os
import time
from pathlib import Path
from typing import get_args

from infra.bench.harness.catalog_control import CatalogControl
from infra.bench.harness.loadgen import LOADGENS, get_loadgen
from infra.bench.harness.results_json import read_results, run_info, write_results
from infra.bench.harness.runs import Runner
from infra.bench.harness.stacks import bench_stack
from infra.bench.suites.full.charts import latency_chart, throughput_chart
from infra.bench.suites.full.plan import Mode, Plan, make_plan, steps
from infra.bench.suites.full.records import FullResults, pairs_by_key, runs_by_key
from infra.bench.suites.full.report import render_full
from infra.bench.suites.full.runs import (
    extra_runs,
    run_cache_pair,
    run_extra_pairs,
    run_matrix,
    warm_up,
)
from infra.bench.suites.full.targets import evaluate
from infra.bench.suites.lambda_path.section import measure_lambda_path

SUITE = "full"


def measure_full(plan: Plan, out: Path, loadgen_name: str = "ab") -> FullResults:
    """Start everything and measure; raw output per run goes to `out`/full/."""
    loadgen = get_loadgen(loadgen_name)
    info = run_info(SUITE, loadgen.name)
    started = time.monotonic()
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
        runner = Runner(loadgen, catalog, out / "full")
        print("warming up every route at 0 ms ...", flush=True)
        warm_up(runner, plan, urls, catalog)
        pairs_n = extra_runs(plan)
        total = len(steps(plan)) + pairs_n + 2
        matrix = run_matrix(plan, urls, runner, catalog, extra_runs=pairs_n + 2)
        first_pair = len(steps(plan)) + 1
        pairs = run_extra_pairs(plan, urls, runner, catalog, first_pair, total)
        uncached, cached = run_cache_pair(plan, urls, runner, catalog, total - 1, total)
        catalog.set_latency(0)
        print("Lambda path: cold imports, RSS, warm invocations, worker ...", flush=True)
        section = measure_lambda_path(plan, urls.catalog)
    targets = evaluate(plan, runs_by_key(matrix), pairs_by_key(pairs), uncached, cached, section)
    duration_s = time.monotonic() - started
    return FullResults(
        info, plan, loadgen.name, duration_s, matrix, pairs, uncached, cached, section, targets
    )


def render(results_file: Path) -> tuple[Path, list[Path]]:
    """full.md and the charts beside `results_file`, from it alone; their paths."""
    results = read_results(results_file, FullResults)
    out = results_file.parent
    charts = [out / "throughput.png", out / "latency.png"]
    throughput_chart(results.plan, results.by_key(), charts[0])
    latency_chart(results.plan, results.by_key(), charts[1])
    report = out / "full.md"
    report.write_text(render_full(results, str(out / "full")))
    return report, charts


def run_full(plan: Plan, out: Path, loadgen_name: str = "ab") -> FullResults:
    """Measure, write full.json, then full.md and the charts from it; return what was read."""
    path = write_results(out, SUITE, measure_full(plan, out, loadgen_name))
    render(path)
    return read_results(path, FullResults)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """bench-full's options (QUICK=1 is --mode quick)."""
    parser.add_argument("--mode", choices=get_args(Mode), default="full")
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument("--loadgen", choices=LOADGENS, default="ab")
    parser.add_argument(
        "--environments", type=int, default=int(os.environ.get("LAMBDA_CONCURRENCY", "10"))
    )


def main(args: argparse.Namespace) -> int:
    """Run bench-full; print the targets and where the files are. A missed target is no error."""
    results = run_full(make_plan(args.mode, args.environments), args.out, args.loadgen)
    print("\n" + "\n".join(t.line() for t in results.targets))
    print(f"\nresults: {args.out}/full.json; report: {args.out}/full.md; charts: "
          f"{args.out}/throughput.png, {args.out}/latency.png")  # fmt: skip
    return 0

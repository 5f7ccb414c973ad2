"""`make bench-cost`: what a request costs as Lambda bills it, with caching as shipped and off.

Starts `make run-lambda`'s stack (catalog at LATENCY_MS, LAMBDA_CONCURRENCY environments) once
per caching mode and drives the same seeded, Zipf-skewed mix of catalog reads, recommendations
and ratings through it at a fixed concurrency; the as-shipped mode after one warm-up pass. From
the stand-in's REPORT lines, the catalog's /_stats and moto's recording it reports per route and
for the mix the billed duration, GB-seconds and dollars per million requests, catalog calls per
1,000 and cold starts, then issue 17's targets. Writes <out>/cost.json, and from it cost.md and
capacity.md (the model of docs/capacity.md). Never fails on a missed target.
"""

import argparse
from pathlib import Path

from infra.bench.harness.results_json import read_results, run_info, write_results
from infra.bench.suites.cost.capacity_page import render_capacity
from infra.bench.suites.cost.costs import WORKER_RECORDS_PER_S, Costing
from infra.bench.suites.cost.measure import measure_mode, slug
from infra.bench.suites.cost.modes import SHIPPED, modes
from infra.bench.suites.cost.prices import Prices
from infra.bench.suites.cost.records import CostResults, ModeResults, Probes, Workload
from infra.bench.suites.cost.report import render_report
from infra.bench.suites.cost.targets import cost_targets
from infra.bench.suites.cost.template_figures import template_figures
from infra.bench.suites.cost.workload import make_plan

SUITE = "cost"


def run_cost(out: Path, workload: Workload) -> CostResults:
    """Measure both modes, write cost.json, then cost.md and capacity.md from it."""
    info = run_info(SUITE, None)
    template = template_figures()
    costing = Costing(
        Prices(),
        template.api_memory_mb,
        template.worker_memory_mb,
        template.worker_batch_size,
        WORKER_RECORDS_PER_S,
    )
    plan = make_plan(workload.requests, workload.users, workload.seed)
    measured: list[ModeResults] = []
    probes = Probes("not run", "not run", "not run")
    for mode in modes():
        print(f"caching {mode.name}: {len(plan)} requests, {workload.concurrency} at a time ...")
        result, found = measure_mode(
            mode,
            workload,
            plan,
            costing,
            template,
            out / "logs" / SUITE / slug(mode.name),
            probes=mode.name == SHIPPED,
        )
        measured.append(result)
        probes = found or probes
    targets = cost_targets(measured, probes, workload.latency_ms, workload.lambda_concurrency)
    results = CostResults(info, workload, template, costing, measured, probes, targets)
    saved = read_results(write_results(out, SUITE, results), CostResults)
    (out / "cost.md").write_text(render_report(saved))
    (out / "capacity.md").write_text(render_capacity(saved))
    return saved


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """bench-cost's options."""
    parser.add_argument("--requests", type=int, default=300, help="requests a pass")
    parser.add_argument("--users", type=int, default=40)
    # Two below the environments: the stack's own health checks may hold one while it starts.
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    parser.add_argument("--lambda-concurrency", type=int, default=10)
    parser.add_argument("--latency-ms", type=int, default=3000, help="the catalog's latency")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--probe-size", type=int, default=5, help="requests per route counted alone"
    )
    parser.add_argument("--out", type=Path, default=Path("bench-results"))


def main(args: argparse.Namespace) -> int:
    """Run it and print the report."""
    if min(args.requests, args.users, args.concurrency, args.lambda_concurrency) < 1:
        raise SystemExit("--requests, --users and both concurrencies must be at least 1")
    workload = Workload(
        args.requests,
        args.users,
        args.concurrency,
        args.seed,
        args.latency_ms,
        args.lambda_concurrency,
        args.probe_size,
    )
    run_cost(args.out, workload)
    print((args.out / "cost.md").read_text())
    return 0

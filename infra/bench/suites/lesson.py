"""`make bench`: the lesson, reproduced. /blocking-movies and /movies under `ab`, side by side.

The catalog simulator answers after LATENCY_MS; the API runs under uvicorn with caching off.
Raw ab output goes to bench-results/{blocking,async}.log, the records to bench-results/lesson.json
and, from it, the table to bench-results/summary.md.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from infra.bench.harness.catalog_control import CatalogControl
from infra.bench.harness.loadgen import LOADGENS, get_loadgen
from infra.bench.harness.report import fmt, markdown_table
from infra.bench.harness.results_json import RunInfo, read_results, run_info, write_results
from infra.bench.harness.runs import Runner, RunRecord
from infra.bench.harness.stacks import THREADPOOL, bench_stack

SUITE = "lesson"
ROUTES = (("/blocking-movies", "blocking"), ("/movies", "async"))  # route, its log's name


@dataclass(frozen=True)
class LessonResults:
    """One `make bench` run: both routes at the same n, c and catalog latency."""

    run: RunInfo
    n: int
    c: int
    latency_ms: int
    records: list[RunRecord]


def lesson_table(records: list[RunRecord]) -> str:
    """Metrics as rows, one column per route."""
    floor = records[0].floor_s
    metrics: list[tuple[str, list[str]]] = [
        ("time taken (s)", [fmt(r.result.time_s, 2) for r in records]),
        ("requests/s", [fmt(r.result.rps, 1) for r in records]),
        ("p50 (ms)", [fmt(r.result.p50_ms, 0) for r in records]),
        ("p95 (ms)", [fmt(r.result.p95_ms, 0) for r in records]),
        ("max (ms)", [fmt(r.result.max_ms, 0) for r in records]),
        ("failed requests (ab)", [str(r.result.failed) for r in records]),
        ("non-2xx responses", [str(r.result.non_2xx) for r in records]),
        ("upstream calls", [str(r.upstream_calls) for r in records]),
        (f"time ÷ floor ({fmt(floor, 1)} s)", [fmt(r.floor_ratio, 2) for r in records]),
    ]
    headers = ["", *(f"`{r.route}`" for r in records)]
    return markdown_table(headers, [[name, *cells] for name, cells in metrics])


def render_summary(results: LessonResults) -> str:
    """summary.md, from lesson.json's results."""
    n, c, latency_ms, records = results.n, results.c, results.latency_ms, results.records
    errors = [f"- `{r.route}`: {r.result.error}\n" for r in records if r.result.error]
    return (
        f"# make bench: {n} requests, concurrency {c}, catalog latency {latency_ms} ms\n\n"
        f"Machine: {results.run.machine}. API under uvicorn, caching off.\n"
        f"Floor: ab sends one request alone, then {c} at a time: "
        f"{latency_ms / 1000:g} s × (1 + ⌈({n} − 1) / {c}⌉) = {fmt(records[0].floor_s, 1)} s.\n\n"  # noqa: RUF001
        + lesson_table(records)
        + ("\nErrors:\n" + "".join(errors) if errors else "")
    )


def measure_lesson(out: Path, n: int, c: int, latency_ms: int, loadgen_name: str) -> LessonResults:
    """Start the stack and run both routes; raw output goes to `out`/{blocking,async}.log."""
    loadgen = get_loadgen(loadgen_name)
    info = run_info(SUITE, loadgen.name)
    stack, urls = bench_stack(latency_ms, out / "logs" / "lesson")
    with stack:
        catalog = CatalogControl(urls.catalog)
        catalog.set_latency(latency_ms)
        runner = Runner(loadgen, catalog, out)
        records = []
        for route, log in ROUTES:
            print(f"{route}: {n} requests, {c} at a time, catalog {latency_ms} ms ...", flush=True)
            record = runner.run(
                route, urls.api + route, n, c, latency_ms, log_name=log, capacity=THREADPOOL
            )
            if record.result.error:
                print(f"  {route}: {record.result.error}", file=sys.stderr)
            records.append(record)
    return LessonResults(info, n, c, latency_ms, records)


def run_lesson(
    out: Path, n: int, c: int, latency_ms: int, loadgen_name: str = "ab"
) -> LessonResults:
    """Measure, write lesson.json, then summary.md from it; return what was read back."""
    out.mkdir(parents=True, exist_ok=True)
    path = write_results(out, SUITE, measure_lesson(out, n, c, latency_ms, loadgen_name))
    results = read_results(path, LessonResults)
    (out / "summary.md").write_text(render_summary(results))
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The lesson's options: N, C, LATENCY_MS, BENCH_OUT."""
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--c", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument("--loadgen", choices=LOADGENS, default="ab")


def main(args: argparse.Namespace) -> int:
    """Run the lesson and print its table; non-zero if a load run did not complete."""
    if not 1 <= args.c <= args.n:
        sys.exit("need 1 <= C <= N (ab cannot run more at once than it sends)")
    results = run_lesson(args.out, args.n, args.c, args.latency_ms, args.loadgen)
    print("\n" + (args.out / "summary.md").read_text())
    print(
        f"raw ab output: {args.out}/{{blocking,async}}.log; records: {args.out}/lesson.json; "
        f"table: {args.out}/summary.md"
    )
    return 1 if any(r.result.error for r in results.records) else 0

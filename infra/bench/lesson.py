"""`make bench`: the lesson, reproduced. /blocking-movies and /movies under `ab`, side by side.

The catalog simulator answers after LATENCY_MS; the API runs under uvicorn with caching off.
Raw ab output goes to bench-results/{blocking,async}.log, the table to bench-results/summary.md.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from infra.bench.catalog_control import CatalogControl
from infra.bench.loadgen import get_loadgen
from infra.bench.machine import describe
from infra.bench.report import fmt, markdown_table
from infra.bench.runs import Runner, RunRecord
from infra.bench.stacks import bench_stack

# anyio's default thread limiter: what plain `def` routes share.
THREADPOOL = 40


def lesson_table(records: Sequence[RunRecord]) -> str:
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


def run_lesson(
    out: Path, n: int, c: int, latency_ms: int, loadgen_name: str = "ab"
) -> tuple[list[RunRecord], str]:
    """Start the stack, run both routes, write summary.md; return the records and the report."""
    loadgen = get_loadgen(loadgen_name)
    out.mkdir(parents=True, exist_ok=True)
    stack, urls = bench_stack(latency_ms, out / "logs" / "lesson")
    with stack:
        catalog = CatalogControl(urls.catalog)
        catalog.set_latency(latency_ms)
        runner = Runner(loadgen, catalog, out)
        records = []
        for route, log in (("/blocking-movies", "blocking"), ("/movies", "async")):
            print(f"{route}: {n} requests, {c} at a time, catalog {latency_ms} ms ...", flush=True)
            record = runner.run(
                route, urls.api + route, n, c, latency_ms, log_name=log, capacity=THREADPOOL
            )
            if record.result.error:
                print(f"  {route}: {record.result.error}", file=sys.stderr)
            records.append(record)
    errors = [f"- `{r.route}`: {r.result.error}\n" for r in records if r.result.error]
    report = (
        f"# make bench: {n} requests, concurrency {c}, catalog latency {latency_ms} ms\n\n"
        f"Machine: {describe(loadgen.name)}. API under uvicorn, caching off.\n"
        f"Floor: ab sends one request alone, then {c} at a time: "
        f"{latency_ms / 1000:g} s × (1 + ⌈({n} − 1) / {c}⌉) = {fmt(records[0].floor_s, 1)} s.\n\n"  # noqa: RUF001
        + lesson_table(records)
        + ("\nErrors:\n" + "".join(errors) if errors else "")
    )
    (out / "summary.md").write_text(report)
    return records, report


def main(argv: Sequence[str] | None = None) -> int:
    """Command line for `make bench`."""
    parser = argparse.ArgumentParser(prog="python -m infra.bench.lesson", description=__doc__)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--c", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument("--loadgen", choices=["ab", "python", "auto"], default="ab")
    args = parser.parse_args(argv)
    if not 1 <= args.c <= args.n:
        parser.error("need 1 <= C <= N (ab cannot run more at once than it sends)")
    records, report = run_lesson(args.out, args.n, args.c, args.latency_ms, args.loadgen)
    print("\n" + report)
    print(f"raw ab output: {args.out}/{{blocking,async}}.log; table: {args.out}/summary.md")
    return 1 if any(r.result.error for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())

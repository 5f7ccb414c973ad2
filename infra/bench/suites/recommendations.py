"""`make bench-recommendations`: what one recommendation costs as the catalog grows.

A fresh local stack per catalog size (the simulator at LATENCY_MS per call), a user who rated
movies of three genres, and one without ratings: each recommendation's latency as a ratio of
the catalog latency, and the upstream calls it made, read from the simulator's /_stats.
Writes bench-results/recommendations.json and, from it, recommendations.md.
"""

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from infra.bench.harness.report import fmt, markdown_table
from infra.bench.harness.results_json import RunInfo, read_results, run_info, write_results
from infra.issuer.app import request_token
from infra.local.stack import running_stack

RATED = ((1, 5.0), (2, 4.5), (3, 4.0))  # the simulator's first movies: several genres
STORE_WAIT_S = 15.0
SUITE = "recommendations"


@dataclass(frozen=True)
class Recommendation:
    """One user's recommendations at one catalog size: latency ÷ catalog latency, calls each."""

    size: int  # movies in the catalog
    user: str  # "cold" (no ratings) or "rated" (RATED)
    median_over_latency: float
    max_over_latency: float
    calls: float  # catalog calls per request


@dataclass(frozen=True)
class RecommendationsResults:
    """One bench-recommendations run."""

    run: RunInfo
    latency_ms: int
    runs: int  # sequential requests per row
    rows: list[Recommendation]


def measure(size: int, latency_ms: int, runs: int) -> list[Recommendation]:
    """One row per user at this catalog size."""
    # The stack's processes inherit this environment: the simulator reads CATALOG_SIZE.
    os.environ["CATALOG_SIZE"] = str(size)
    # Caching off, whatever template.yaml says: every request's catalog calls are the measure.
    with running_stack(latency_ms=latency_ms, api_env={"CATALOG_CACHE_TTL_S": "0"}) as stack:
        api = httpx.Client(base_url=stack.api_url, timeout=60)
        catalog = httpx.Client(base_url=stack.catalog_url, timeout=10)
        rows = []
        for user, ratings in (("cold", ()), ("rated", RATED)):
            headers = {"authorization": f"Bearer {request_token(stack.issuer_url, user)}"}
            for movie_id, stars in ratings:
                body = {"movie_id": movie_id, "stars": stars}
                api.post("/me/ratings", json=body, headers=headers).raise_for_status()
            _wait_stored(api, headers, len(ratings))
            catalog.post("/_stats/reset").raise_for_status()
            seconds = []
            for _ in range(runs):
                start = time.perf_counter()
                api.get("/me/recommendations", headers=headers).raise_for_status()
                seconds.append(time.perf_counter() - start)
            calls = catalog.get("/_stats").json()["requests"] / runs
            latency_s = max(latency_ms, 1) / 1000  # 0 ms (the smoke test): ratios to 1 ms
            median, worst = statistics.median(seconds) / latency_s, max(seconds) / latency_s
            rows.append(Recommendation(size, user, median, worst, calls))
        return rows


def _wait_stored(api: httpx.Client, headers: dict[str, str], count: int) -> None:
    deadline = time.monotonic() + STORE_WAIT_S
    while time.monotonic() < deadline:
        if len(api.get("/me/ratings", headers=headers).json()["ratings"]) >= count:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the worker stored fewer than {count} ratings in {STORE_WAIT_S} s")


def render_report(results: RecommendationsResults) -> str:
    """recommendations.md, from recommendations.json's results."""
    header = ["movies", "user", "median / catalog latency", "max / catalog latency", "calls"]
    rows = [
        [f"{r.size:,}", r.user, fmt(r.median_over_latency, 3), fmt(r.max_over_latency, 3),
         fmt(r.calls, 1)]
        for r in results.rows
    ]  # fmt: skip
    return (
        f"Machine: {results.run.machine}.\n\n"
        f"catalog latency {results.latency_ms} ms, {results.runs} sequential requests per row\n\n"
        + markdown_table(header, rows)
    )


def run_recommendations(
    out: Path, sizes: list[int], latency_ms: int, runs: int
) -> RecommendationsResults:
    """Measure each size, write recommendations.json, then .md from it; return what was read."""
    info = run_info(SUITE, None)
    rows = [row for size in sizes for row in measure(size, latency_ms, runs)]
    path = write_results(out, SUITE, RecommendationsResults(info, latency_ms, runs, rows))
    results = read_results(path, RecommendationsResults)
    (out / "recommendations.md").write_text(render_report(results))
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """bench-recommendations' options: LATENCY_MS, BENCH_OUT, the sizes and runs."""
    parser.add_argument("--sizes", default="600,100000")
    parser.add_argument("--latency-ms", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("bench-results"))


def main(args: argparse.Namespace) -> int:
    """Measure each size and print the table."""
    sizes = [int(s) for s in args.sizes.split(",")]
    results = run_recommendations(args.out, sizes, args.latency_ms, args.runs)
    print(render_report(results))
    return 0

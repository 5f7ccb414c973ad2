"""`make bench-recommendations`: what one recommendation costs as the catalog grows.

A fresh local stack per catalog size (the simulator at LATENCY_MS per call), a user who rated
movies of three genres, and one without ratings: each recommendation's latency as a ratio of
the catalog latency, and the upstream calls it made, read from the simulator's /_stats.
"""

import argparse
import os
import statistics
import time
from collections.abc import Sequence

import httpx

from infra.bench.report import fmt, markdown_table
from infra.issuer.app import request_token
from infra.local.stack import running_stack

RATED = ((1, 5.0), (2, 4.5), (3, 4.0))  # the simulator's first movies: several genres
STORE_WAIT_S = 15.0


def measure(size: int, latency_ms: int, runs: int) -> list[list[str]]:
    """Rows (size, user, median latency / catalog latency, max, calls per request)."""
    # The stack's processes inherit this environment: the simulator reads CATALOG_SIZE.
    os.environ["CATALOG_SIZE"] = str(size)
    with running_stack(latency_ms=latency_ms) as stack:
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
            rows.append([f"{size:,}", user, fmt(median, 3), fmt(worst, 3), fmt(calls, 1)])
        return rows


def _wait_stored(api: httpx.Client, headers: dict[str, str], count: int) -> None:
    deadline = time.monotonic() + STORE_WAIT_S
    while time.monotonic() < deadline:
        if len(api.get("/me/ratings", headers=headers).json()["ratings"]) >= count:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the worker stored fewer than {count} ratings in {STORE_WAIT_S} s")


def main(argv: Sequence[str] | None = None) -> None:
    """Measure each size and print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="600,100000")
    parser.add_argument("--latency-ms", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rows = [
        row
        for size in (int(s) for s in args.sizes.split(","))
        for row in measure(size, args.latency_ms, args.runs)
    ]
    header = ["movies", "user", "median / catalog latency", "max / catalog latency", "calls"]
    print(f"catalog latency {args.latency_ms} ms, {args.runs} sequential requests per row")
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()

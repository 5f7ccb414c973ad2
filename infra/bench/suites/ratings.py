"""`make bench-ratings`: POST /me/ratings latency over the no-loss load, early ratings against late.

The load of tests/e2e/test_no_loss.py on a freshly started local stack (uvicorn, moto, two
pollers, 10 % of records failing their first attempt, a 2.5 s request deadline): RATINGS
ratings from CLIENTS clients in a closed loop. Before it, each client sends one rating, which is
reported but not counted (its first request opens its connection and the API's pools, as `ab`
sends one request alone first). Reported: latency per block of 100 ratings in the order they
were sent, the last block's median over the first's (flat is 1; the issue's limit is 1.5), the
rate the API accepted them at, and the rate moto and the pollers stored them at, until the last
was in the table. Results go to <out>/ratings.json and, from it, <out>/ratings.md.
"""

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from infra.bench.harness.report import fmt, markdown_table
from infra.bench.harness.results import percentile
from infra.bench.harness.results_json import RunInfo, read_results, run_info, write_results
from infra.gateway.parameters import stage_throttle
from infra.issuer.app import request_token
from infra.local.stack import Endpoints, running_stack
from infra.soak.soak_check import BacklogWatch, clients, queue_depth

RATINGS = 1000
CLIENTS = 50
BLOCK = 100
DEADLINE_S = 2.5
WORKER_FAULT_RATE = 0.1
USERS = 100
STORE_TIMEOUT_S = 180.0
LIMIT_LAST_OVER_FIRST = 1.5
SUITE = "ratings"


@dataclass(frozen=True)
class Block:
    """Latency of ratings [first, first + BLOCK) in the order they were sent."""

    first: int
    p50_ms: float
    p90_ms: float
    max_ms: float


@dataclass(frozen=True)
class RatingsRun:
    """One run of the bench."""

    run: RunInfo
    ratings: int
    clients: int
    warmup_p50_ms: float
    blocks: list[Block]
    last_over_first: float
    accepted_per_s: float
    stored_per_s: float
    refused: int
    max_backlog: int  # the most messages the task queue held, sampled every 0.5 s

    @property
    def flat(self) -> bool:
        """The issue's target: the last block's median within 1.5 x of the first's."""
        return 1 / LIMIT_LAST_OVER_FIRST <= self.last_over_first <= LIMIT_LAST_OVER_FIRST


def blocks_of(latencies_ms: list[float], size: int = BLOCK) -> list[Block]:
    """One Block per `size` latencies, in order."""
    blocks = []
    for first in range(0, len(latencies_ms), size):
        chunk = sorted(latencies_ms[first : first + size])
        blocks.append(Block(first, statistics.median(chunk), percentile(chunk, 90), chunk[-1]))
    return blocks


@dataclass(frozen=True)
class Load:
    """How many ratings, from how many clients."""

    ratings: int = RATINGS
    clients: int = CLIENTS


async def _load(
    endpoints: Endpoints, run: str, load: Load
) -> tuple[list[float], list[float], int, float]:
    """Warm-up latencies, measured latencies by send order, refusals, and when the load began."""
    users = [f"{run}{n}" for n in range(USERS)]
    # Before the clock starts, from the stack's own issuer, as a client gets its token.
    auth = {
        user: {"authorization": f"Bearer {request_token(endpoints.issuer_url, user)}"}
        for user in users
    }
    latencies = [float("nan")] * load.ratings
    warmup: list[float] = []
    refused = 0
    pending = list(range(load.ratings))[::-1]

    async def rate(api: aiohttp.ClientSession, n: int) -> float:
        nonlocal refused
        user, movie = users[n % USERS], n // USERS + 1  # every (user, movie) once
        started = time.perf_counter()
        async with api.post(
            "/me/ratings", json={"movie_id": movie, "stars": 3}, headers=auth[user]
        ) as response:
            await response.read()
            refused += response.status != 202
        return (time.perf_counter() - started) * 1000

    async def client(api: aiohttp.ClientSession, number: int) -> None:
        warmup.append(await rate(api, load.ratings + number))
        await warm.wait()
        while pending:
            n = pending.pop()
            latencies[n] = await rate(api, n)

    warm = asyncio.Barrier(load.clients + 1)  # every client warm, and the clock started
    # aiohttp, not httpx: the client shares the stack's two cores, and httpx spent as much CPU
    # as moto and the API together, which the latencies then measured.
    connector = aiohttp.TCPConnector(limit=load.clients)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(
        endpoints.api_url, connector=connector, timeout=timeout
    ) as api:
        workers = [asyncio.create_task(client(api, n)) for n in range(load.clients)]
        await warm.wait()
        started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*workers), timeout=300)
    return warmup, latencies, refused, started


def _stored(endpoints: Endpoints, run: str) -> int:
    _, dynamodb = clients(endpoints.aws_url)
    paginator = dynamodb.get_paginator("scan")
    pages = paginator.paginate(
        TableName=endpoints.resources.table_name,
        FilterExpression="begins_with(pk, :p)",
        ExpressionAttributeValues={":p": {"S": f"USER#{run}"}},
        Select="COUNT",
    )
    return sum(page["Count"] for page in pages)


def run_ratings(out: Path, load: Load = Load()) -> RatingsRun:
    """Start a stack, run the load, wait until all is stored; write ratings.json, then .md from
    it; return what was read back."""
    out.mkdir(parents=True, exist_ok=True)
    info = run_info(SUITE, None)
    run = f"bench{int(time.time())}-"
    api_env = {
        "REQUEST_DEADLINE_S": str(DEADLINE_S),
        "LOG_FILE": str(out / "ratings.log"),
        # The queue and the store are measured, as docs/benchmarks.md's figures were: each
        # rating's catalog lookup goes to the catalog, not to the table moto also serves.
        "CATALOG_CACHE_TTL_S": "0",
        # The bench posts about 150 ratings a second to one route: its stage allows them.
        **stage_throttle(rate=5_000, burst=5_000),
    }
    with running_stack(
        "uvicorn",
        api_env=api_env,
        worker_fault_rate=WORKER_FAULT_RATE,
    ) as endpoints:
        with BacklogWatch(endpoints.aws_url, endpoints.resources, every_s=0.5) as backlog:
            warmup, latencies, refused, started = asyncio.run(_load(endpoints, run, load))
        load_s = time.perf_counter() - started
        sqs, _ = clients(endpoints.aws_url)
        deadline = time.monotonic() + STORE_TIMEOUT_S
        while time.monotonic() < deadline:
            drained = not queue_depth(sqs, endpoints.resources.queue_url)
            if drained and _stored(endpoints, run) >= load.ratings + load.clients - refused:
                break
            time.sleep(0.2)
        stored_s = time.perf_counter() - started
    blocks = blocks_of(latencies)
    result = RatingsRun(
        run=info,
        ratings=load.ratings,
        clients=load.clients,
        warmup_p50_ms=statistics.median(warmup),
        blocks=blocks,
        last_over_first=blocks[-1].p50_ms / blocks[0].p50_ms,
        accepted_per_s=load.ratings / load_s,
        stored_per_s=load.ratings / stored_s,
        refused=refused,
        max_backlog=max(backlog.samples, default=0),
    )
    saved = read_results(write_results(out, SUITE, result), RatingsRun)
    (out / "ratings.md").write_text(report(saved))
    return saved


def report(result: RatingsRun) -> str:
    """The run as markdown."""
    rows = [
        [f"{b.first + 1}-{b.first + BLOCK}", fmt(b.p50_ms, 0), fmt(b.p90_ms, 0), fmt(b.max_ms, 0)]
        for b in result.blocks
    ]
    verdict = "flat" if result.flat else f"NOT flat (limit {LIMIT_LAST_OVER_FIRST})"
    return (
        f"# make bench-ratings: {result.ratings} ratings from {result.clients} clients\n\n"
        f"Machine: {result.run.machine}. A fresh local stack under uvicorn; moto, two pollers, "
        f"{WORKER_FAULT_RATE:.0%} of records failing their first attempt.\n\n"
        f"Warm-up (one rating per client, not counted): median {fmt(result.warmup_p50_ms, 0)} ms."
        "\n\n"
        + markdown_table(["ratings, in send order", "p50 (ms)", "p90 (ms)", "max (ms)"], rows)
        + f"\nLast 100 ÷ first 100 (median): **{fmt(result.last_over_first, 2)}**, {verdict}. "
        f"Refused: {result.refused}.\n"
        f"Accepted: {fmt(result.accepted_per_s, 0)} ratings/s; stored (moto and the pollers, "
        f"from the first send to the last rating in the table): "
        f"{fmt(result.stored_per_s, 0)} ratings/s; the queue held at most "
        f"{result.max_backlog} messages.\n"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """bench-ratings' options: BENCH_OUT."""
    parser.add_argument("--out", type=Path, default=Path("bench-results"))


def main(args: argparse.Namespace) -> int:
    """Run it and print the report; non-zero if the latency was not flat or a rating refused."""
    result = run_ratings(args.out)
    print(report(result))
    return 0 if result.flat and not result.refused else 1

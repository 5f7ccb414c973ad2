"""The soak's load: concurrent clients sending a seeded mix, bounded in time and in count.

Each client draws from its own seeded random: half GET /movies, a quarter
GET /me/recommendations, a quarter POST /me/ratings with a (user, movie) never rated before in
the run, so that every accepted rating can be looked up afterwards. Each user sends the token
the stack's development issuer gave it, as a real client would.
"""

import asyncio
import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from infra.soak.soak_tokens import Tokens

GENRES = ("Action", "Comedy", "Drama", "Horror", "Sci-Fi", "Thriller")
# Movies a client rates before it moves on to a new user id.
RATINGS_PER_USER = 100
RECOMMENDATION_LIMIT = 10
# infra.soak.faulty_app.INJECTED_DETAIL (not imported: this side runs without functions/ on the
# path).
INJECTED_DETAIL = "injected queue fault"


@dataclass(frozen=True)
class Sample:
    """One answered (or failed) request."""

    kind: str  # movies, recommendations, rating
    status: int  # 0: no HTTP answer at all (connection error, client timeout)
    seconds: float
    error: str | None = None  # the error body's `error`, for 4xx and 5xx


@dataclass
class LoadResult:
    """Everything the load saw; ratings keyed by their table key (pk, sk)."""

    samples: list[Sample] = field(default_factory=list)
    accepted: dict[tuple[str, str], str] = field(default_factory=dict)  # key -> event_id
    refused: dict[tuple[str, str], str] = field(default_factory=dict)  # key -> error (non-202)
    recommended_items: int = 0
    elapsed_s: float = 0.0

    def by_status(self) -> Counter[tuple[str, int, str | None]]:
        """How many answers of each (kind, status, error)."""
        return Counter((s.kind, s.status, s.error) for s in self.samples)


@dataclass(frozen=True)
class LoadConfig:
    """How much load, for how long, with which seed."""

    run: str  # prefix of every user id, so this run's table items are found by prefix
    seconds: float
    issuer_url: str  # the development issuer whose tokens the API trusts
    concurrency: int = 100
    max_requests: int = 1_000_000
    seed: int = 0
    client_timeout_s: float = 30.0
    # Mean pause of each client between two requests (uniform in [0, 2 x think_s]): 0 is a
    # closed loop, every client sending again as soon as it is answered.
    think_s: float = 0.0


async def run_load(api_url: str, config: LoadConfig) -> LoadResult:
    """Send the mix until `seconds` have passed or `max_requests` were sent, then return."""
    result = LoadResult()
    budget = iter(range(config.max_requests))
    stop_at = time.monotonic() + config.seconds
    # aiohttp, not httpx, on this side: httpx's pool costs a core at this concurrency, which
    # the stack under test would be short of on a small machine.
    connector = aiohttp.TCPConnector(limit=config.concurrency)
    timeout = aiohttp.ClientTimeout(total=config.client_timeout_s)
    started = time.monotonic()
    async with (
        aiohttp.ClientSession(api_url, connector=connector, timeout=timeout) as api,
        aiohttp.ClientSession(config.issuer_url, timeout=timeout) as issuer,
    ):
        tokens = Tokens(issuer)
        clients = [
            _client(api, tokens, number, config, result, budget, stop_at)
            for number in range(config.concurrency)
        ]
        bound_s = config.seconds + 2 * config.client_timeout_s
        await asyncio.wait_for(asyncio.gather(*clients), bound_s)
    result.elapsed_s = time.monotonic() - started
    return result


async def _client(
    api: aiohttp.ClientSession,
    tokens: Tokens,
    number: int,
    config: LoadConfig,
    result: LoadResult,
    budget: Iterator[int],
    stop_at: float,
) -> None:
    draw = random.Random(f"{config.seed}-{number}")  # noqa: S311 - load mix, not security
    rated = 0
    for _ in budget:
        if config.think_s:
            pause = draw.uniform(0, 2 * config.think_s)
            await asyncio.sleep(max(0.0, min(pause, stop_at - time.monotonic())))
        if time.monotonic() >= stop_at:
            return
        roll = draw.random()
        if roll < 0.5:
            genre = draw.choice((None, *GENRES))
            params = {"limit": "20", "offset": str(draw.randrange(0, 580))}
            if genre:
                params["genre"] = genre
            await _call(api, result, "movies", "GET", "/movies", params=params)
        elif roll < 0.75:
            user = f"{config.run}c{number}u{draw.randrange(0, rated // RATINGS_PER_USER + 1)}"
            params = {"limit": str(RECOMMENDATION_LIMIT)}
            headers = await tokens.headers(user)
            answer = await _call(
                api,
                result,
                "recommendations",
                "GET",
                "/me/recommendations",
                params=params,
                headers=headers,
            )
            if answer is not None and answer[0] == 200:
                result.recommended_items += len(answer[1]["items"])
        else:
            user = f"{config.run}c{number}u{rated // RATINGS_PER_USER}"
            movie = rated % RATINGS_PER_USER + 1
            rated += 1
            rating = {"movie_id": movie, "stars": draw.randrange(1, 11) / 2}
            headers = await tokens.headers(user)
            answer = await _call(
                api, result, "rating", "POST", "/me/ratings", json=rating, headers=headers
            )
            key = (f"USER#{user}", f"MOVIE#{movie}")
            if answer is not None and answer[0] == 202:
                result.accepted[key] = str(answer[1]["event_id"])
            else:
                result.refused[key] = "no_answer" if answer is None else f"{answer[0]} {answer[2]}"


async def _call(
    api: aiohttp.ClientSession,
    result: LoadResult,
    kind: str,
    method: str,
    path: str,
    **kwargs: Any,
) -> tuple[int, Any, str | None] | None:
    """(status, JSON body, error name) of one timed request, or None if it got no answer."""
    start = time.perf_counter()
    try:
        async with api.request(method, path, **kwargs) as response:
            raw = await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        result.samples.append(Sample(kind, 0, time.perf_counter() - start, type(exc).__name__))
        return None
    seconds = time.perf_counter() - start
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    error = _error_name(body) if status >= 400 else None
    result.samples.append(Sample(kind, status, seconds, error))
    return status, body, error


def _error_name(body: Any) -> str:
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return "not_error_shape"
    # The injected queue refusals are told apart from real SQS failures by their detail.
    if body["error"] == "queue_unavailable" and body.get("detail") == INJECTED_DETAIL:
        return "queue_unavailable(injected)"
    return str(body["error"])

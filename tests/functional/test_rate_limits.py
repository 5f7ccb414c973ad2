"""Per-caller limits on ratings and recommendations: 429 with Retry-After, nothing queued, one
caller's limit never another's; every test runs the four ways of tests/functional."""

import httpx
import pytest

from movies.api.limits import RATINGS, RECOMMENDATIONS, request_limits
from movies.domain.messages import RatingSubmitted, RecommendationsServed
from movies.observability import InProcessCounters
from movies.settings import Settings
from tests.support.apps import CATALOG_URL
from tests.support.clock import Clock
from tests.support.fakes import InMemoryRateLimiter, InMemoryTaskQueue
from tests.support.tokens import bearer

ANA, BEA = bearer("ana"), bearer("bea")
NOW = 1_800_000_030.0  # 30 s into a minute


@pytest.fixture
def settings() -> Settings:
    return Settings(catalog_url=CATALOG_URL, ratings_per_minute=3, recommendations_per_minute=2)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def limiter(settings: Settings, clock: Clock) -> InMemoryRateLimiter:
    return InMemoryRateLimiter(request_limits(settings), clock)


async def rate(api: httpx.AsyncClient, who: dict[str, str], movie_id: int) -> httpx.Response:
    return await api.post("/me/ratings", json={"movie_id": movie_id, "stars": 4}, headers=who)


def sent(queue: InMemoryTaskQueue, kind: type) -> list[object]:
    return [message for message, _ in queue.sent if isinstance(message, kind)]


async def test_ratings_over_the_limit_are_429_with_retry_after_and_queue_nothing(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    statuses = [(await rate(api, ANA, movie_id)).status_code for movie_id in (1, 2, 3)]
    assert statuses == [202, 202, 202]
    refused = await rate(api, ANA, 4)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "30"  # the rest of the minute
    assert refused.json()["error"] == "rate_limited"
    assert [m.movie_id for m in sent(queue, RatingSubmitted)] == [1, 2, 3]  # type: ignore[attr-defined]


async def test_one_caller_at_the_limit_does_not_limit_another(api: httpx.AsyncClient) -> None:
    for movie_id in (1, 2, 3, 4):
        await rate(api, ANA, movie_id)
    assert (await rate(api, BEA, 1)).status_code == 202


async def test_the_next_window_accepts_again(api: httpx.AsyncClient, clock: Clock) -> None:
    for movie_id in (1, 2, 3):
        assert (await rate(api, ANA, movie_id)).status_code == 202
    assert (await rate(api, ANA, 4)).status_code == 429
    clock.now += 30
    assert (await rate(api, ANA, 4)).status_code == 202


async def test_recommendations_are_limited_apart_from_ratings(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    for movie_id in (1, 2, 3):
        await rate(api, ANA, movie_id)
    page = {"limit": 3}
    assert (await api.get("/me/recommendations", params=page, headers=ANA)).status_code == 200
    assert (await api.get("/me/recommendations", params=page, headers=ANA)).status_code == 200
    refused = await api.get("/me/recommendations", params=page, headers=ANA)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert len(sent(queue, RecommendationsServed)) == 2  # the refused call counted nothing


async def test_a_limiter_that_cannot_count_lets_the_request_through_and_says_so(
    api: httpx.AsyncClient,
    limiter: InMemoryRateLimiter,
    counters: InProcessCounters,
    queue: InMemoryTaskQueue,
) -> None:
    limiter.fail = True
    assert (await rate(api, ANA, 1)).status_code == 202
    assert counters.counts["RateLimiterUnavailable"] == 1
    assert len(sent(queue, RatingSubmitted)) == 1


async def test_the_spec_declares_429_on_the_limited_routes(api: httpx.AsyncClient) -> None:
    paths = (await api.get("/openapi.json")).json()["paths"]
    assert "429" in paths["/me/ratings"]["post"]["responses"]
    assert "429" in paths["/me/recommendations"]["get"]["responses"]
    assert "429" not in paths["/me/ratings"]["get"]["responses"]


def test_the_limits_come_from_settings() -> None:
    limits = request_limits(Settings(ratings_per_minute=7, recommendations_per_minute=9))
    assert (limits[RATINGS].requests, limits[RECOMMENDATIONS].requests) == (7, 9)
    assert limits[RATINGS].window_s == 60

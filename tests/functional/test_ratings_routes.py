"""Ratings are queued (202) or refused (503, nothing lost); analytics never cost the user."""

import httpx
import pytest
from tests.support.fake_catalog import decode
from tests.support.fakes import InMemoryRatingStore, InMemoryTaskQueue

from movies.domain.messages import RatingSubmitted, RecommendationsServed
from movies.domain.models import Rating
from movies.observability import InProcessCounters


async def test_rating_is_queued_with_its_correlation_id(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    response = await api.post(
        "/users/ana/ratings", json={"movie_id": 3, "stars": 4.5}, headers={"x-request-id": "r-1"}
    )
    assert response.status_code == 202
    body = decode(response)
    ((message, correlation_id),) = queue.sent
    assert isinstance(message, RatingSubmitted)
    assert (message.user_id, message.movie_id, message.stars) == ("ana", 3, 4.5)
    assert body == {"event_id": str(message.event_id), "status": "accepted"}
    assert correlation_id == response.headers["x-request-id"]
    assert response.headers["location"].endswith("/users/ana/ratings")


async def test_location_reads_back_what_the_worker_stored(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore
) -> None:
    await ratings.put("ana", Rating(movie_id=3, stars=4.5))
    location = (await api.post("/users/ana/ratings", json={"movie_id": 3, "stars": 4.5})).headers[
        "location"
    ]
    body = decode(await api.get(location.removeprefix("/Prod")))
    assert body == {"user_id": "ana", "ratings": [{"movie_id": 3, "stars": 4.5, "rated_at": None}]}


@pytest.mark.parametrize(
    "payload",
    [
        {"movie_id": 3, "stars": 4.25},
        {"movie_id": 3, "stars": 0},
        {"movie_id": 3, "stars": 5.5},
        {"movie_id": 0, "stars": 3},
        {"movie_id": "x", "stars": 3},
        {"stars": 3},
        {"movie_id": 3, "stars": 3, "extra": 1},
        [],
    ],
)
async def test_invalid_rating_is_422_and_nothing_is_queued(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue, payload: object
) -> None:
    response = await api.post("/users/ana/ratings", json=payload)
    assert response.status_code == 422
    assert decode(response)["error"] == "validation_error"
    assert queue.sent == []


async def test_queue_failure_is_503_with_retry_after_never_202(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    queue.fail = True
    response = await api.post("/users/ana/ratings", json={"movie_id": 3, "stars": 4})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert decode(response)["error"] == "queue_unavailable"


async def test_recommendations_enqueue_what_was_served(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    body = decode(await api.get("/recommendations/ana", params={"limit": 3}))
    ((message, _),) = queue.sent
    assert isinstance(message, RecommendationsServed)
    assert message.movie_ids == [item["movie"]["id"] for item in body["items"]]
    assert message.user_id == "ana"


async def test_failed_analytics_are_counted_and_the_user_still_served(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue, counters: InProcessCounters
) -> None:
    queue.fail = True
    response = await api.get("/recommendations/ana", params={"limit": 3})
    assert response.status_code == 200
    assert len(decode(response)["items"]) == 3
    assert counters.counts["AnalyticsSendFailed"] == 1


async def test_trending_lists_the_most_recommended(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore
) -> None:
    ratings.impressions.update({5: 3, 2: 7, 9: 3})
    body = decode(await api.get("/movies/trending", params={"limit": 2}))
    assert body == {"items": [{"movie_id": 2, "impressions": 7}, {"movie_id": 5, "impressions": 3}]}
    assert (await api.get("/movies/trending", params={"limit": 0})).status_code == 422

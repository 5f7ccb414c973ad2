"""The caller's ratings and recommendations: queued (202) or refused (nothing lost), read back page
by page, and only ever the token's own; analytics never cost the user."""

import httpx
import pytest

from movies.domain.messages import RatingSubmitted, RecommendationsServed
from movies.domain.models import Rating
from movies.observability import InProcessCounters
from tests.support.fake_catalog import decode
from tests.support.fakes import InMemoryRatingStore, InMemoryTaskQueue
from tests.support.tokens import KEY, bearer, token_table

ANA = bearer("ana")


async def test_rating_is_queued_for_the_tokens_subject_with_its_correlation_id(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    response = await api.post(
        "/me/ratings",
        json={"movie_id": 3, "stars": 4.5},
        headers={**ANA, "x-request-id": "r-1"},
    )
    assert response.status_code == 202
    body = decode(response)
    ((message, correlation_id),) = queue.sent
    assert isinstance(message, RatingSubmitted)
    assert (message.user_id, message.movie_id, message.stars) == ("ana", 3, 4.5)
    assert body == {"event_id": str(message.event_id), "status": "accepted"}
    assert correlation_id == response.headers["x-request-id"]
    assert response.headers["location"].endswith("/me/ratings")
    assert response.headers["cache-control"] == "no-store"


async def test_a_user_id_in_the_body_is_refused_not_trusted(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    response = await api.post(
        "/me/ratings", json={"movie_id": 3, "stars": 4, "user_id": "bob"}, headers=ANA
    )
    assert response.status_code == 422
    assert queue.sent == []


async def test_a_movie_the_catalog_does_not_know_is_never_queued(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    response = await api.post("/me/ratings", json={"movie_id": 999, "stars": 4}, headers=ANA)
    assert (response.status_code, decode(response)["error"]) == (404, "not_found")
    assert queue.sent == []


async def test_location_reads_back_what_the_worker_stored(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore
) -> None:
    await ratings.put("ana", Rating(movie_id=3, stars=4.5))
    posted = await api.post("/me/ratings", json={"movie_id": 3, "stars": 4.5}, headers=ANA)
    location = posted.headers["location"]
    # Location is the public path: under the stage or mapping key the client called.
    assert location == f"{api.base_url.path.rstrip('/')}/me/ratings"
    response = await api.get(location.removeprefix(api.base_url.path.rstrip("/")), headers=ANA)
    assert response.headers["cache-control"] == "no-store"
    assert decode(response) == {
        "user_id": "ana",
        "ratings": [{"movie_id": 3, "stars": 4.5, "rated_at": None}],
        "next_cursor": None,
    }


async def test_ratings_come_in_pages_that_never_repeat_or_skip(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore
) -> None:
    for movie_id in range(1, 8):
        await ratings.put("ana", Rating(movie_id=movie_id, stars=3.0))
    seen: list[int] = []
    cursor = None
    for _ in range(10):  # bounded: 7 ratings in pages of 3 take 3 requests
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = decode(await api.get("/me/ratings", params=params, headers=ANA))
        assert len(body["ratings"]) <= 3
        seen += [item["movie_id"] for item in body["ratings"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == list(range(1, 8))
    assert len(seen) == 7


@pytest.mark.parametrize(
    "cursor", ["garbage", "eyJhZnRlciI6ICJ4In0=", "0", "-1", "0" * 64, "1" * 11]
)
async def test_a_cursor_outside_its_schema_is_422(api: httpx.AsyncClient, cursor: str) -> None:
    response = await api.get("/me/ratings", params={"cursor": cursor}, headers=ANA)
    body = decode(response)
    assert (response.status_code, body["error"]) == (422, "validation_error")
    # The same detail as every other validation error: a list of where and why.
    [problem] = body["detail"]
    assert problem["loc"] == ["query", "cursor"]
    assert problem["type"] == "string_pattern_mismatch"


async def test_any_cursor_the_schema_admits_is_answered(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore
) -> None:
    for movie_id in (3, 7):
        await ratings.put("ana", Rating(movie_id=movie_id, stars=4.0))
    # A made-up cursor is "the ratings after that movie": a page, perhaps empty, never a 422.
    after_3 = (await api.get("/me/ratings", params={"cursor": "3"}, headers=ANA)).json()
    assert [r["movie_id"] for r in after_3["ratings"]] == [7]
    beyond = await api.get("/me/ratings", params={"cursor": "9999999999"}, headers=ANA)
    assert (beyond.status_code, beyond.json()["ratings"]) == (200, [])


async def test_alice_never_reads_bobs_ratings_or_recommendations(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore, queue: InMemoryTaskQueue
) -> None:
    await ratings.put("bob", Rating(movie_id=2, stars=5.0))
    alice = bearer("alice")
    mine = decode(await api.get("/me/ratings", headers=alice))
    assert (mine["user_id"], mine["ratings"]) == ("alice", [])
    recs = decode(await api.get("/me/recommendations", headers=alice))
    assert (recs["user_id"], recs["based_on_ratings"]) == ("alice", 0)
    await api.post("/me/ratings", json={"movie_id": 4, "stars": 1}, headers=alice)
    assert [message.user_id for message, _ in queue.sent] == ["alice", "alice"]
    for old in ("/users/bob/ratings", "/recommendations/bob"):
        assert (await api.get(old, headers=alice)).status_code == 404


@pytest.mark.parametrize("name", [name for name in token_table(KEY) if name != "valid"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/me/ratings"), ("GET", "/me/ratings"), ("GET", "/me/recommendations")],
)
async def test_every_bad_token_is_401_and_nothing_is_queued_or_read(
    api: httpx.AsyncClient,
    queue: InMemoryTaskQueue,
    name: str,
    method: str,
    path: str,
) -> None:
    header = token_table(KEY, sub="ana")[name]
    headers = {"authorization": header} if header is not None else {}
    body = {"movie_id": 3, "stars": 4} if method == "POST" else None
    response = await api.request(method, path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert queue.sent == []


async def test_recommendations_enqueue_what_was_served(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    body = decode(await api.get("/me/recommendations", params={"limit": 3}, headers=ANA))
    ((message, _),) = queue.sent
    assert isinstance(message, RecommendationsServed)
    assert message.movie_ids == [item["movie"]["id"] for item in body["items"]]
    assert message.user_id == "ana"


async def test_failed_analytics_are_counted_and_the_user_still_served(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue, counters: InProcessCounters
) -> None:
    queue.fail = True
    response = await api.get("/me/recommendations", params={"limit": 3}, headers=ANA)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert len(decode(response)["items"]) == 3
    assert counters.counts["AnalyticsSendFailed"] == 1


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
        {"movie_id": True, "stars": 4},
        {"movie_id": 3, "stars": True},
        {"movie_id": "3", "stars": 4},
        [],
    ],
)
async def test_invalid_rating_is_422_and_nothing_is_queued(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue, payload: object
) -> None:
    response = await api.post("/me/ratings", json=payload, headers=ANA)
    assert response.status_code == 422
    assert decode(response)["error"] == "validation_error"
    assert queue.sent == []


async def test_queue_failure_is_503_with_retry_after_never_202(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    queue.fail = True
    response = await api.post("/me/ratings", json={"movie_id": 3, "stars": 4}, headers=ANA)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert decode(response)["error"] == "queue_unavailable"


async def test_trending_lists_the_most_recommended(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore
) -> None:
    ratings.impressions.update({5: 3, 2: 7, 9: 3})
    body = decode(await api.get("/movies/trending", params={"limit": 2}))
    assert body == {"items": [{"movie_id": 2, "impressions": 7}, {"movie_id": 5, "impressions": 3}]}
    assert (await api.get("/movies/trending", params={"limit": 0})).status_code == 422


async def test_a_body_that_is_not_json_is_placed_by_line_and_column(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    body = b'{\n  "movie_id": 1,\n  "stars": 4.5\n  "oops": true\n}'
    response = await api.post(
        "/me/ratings", content=body, headers={**ANA, "content-type": "application/json"}
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["type"] == "json_invalid"
    assert problem["loc"] == ["body"]
    assert (problem["line"], problem["column"]) == (4, 3)  # where the missing comma bites
    assert "line 4, column 3" in problem["msg"]
    assert queue.sent == []

"""Every route through the real app, with the catalog faked at the transport."""

import httpx
import pytest

from movies.domain.models import Rating
from movies.settings import Settings
from tests.support.apps import CATALOG_URL, app_with_fakes
from tests.support.fake_catalog import MOVIES, FakeCatalog, decode
from tests.support.fakes import InMemoryRatingStore, InMemoryTaskQueue
from tests.support.tokens import bearer

MOVIE_ROUTES = ("/movies", "/blocking-movies")


@pytest.mark.parametrize("path", MOVIE_ROUTES)
async def test_movie_list_returns_the_catalog_page(api: httpx.AsyncClient, path: str) -> None:
    response = await api.get(path, params={"limit": 2, "offset": 1})
    assert response.status_code == 200
    body = decode(response)
    assert [m["id"] for m in body["items"]] == [2, 3]
    assert (body["total"], body["limit"], body["offset"]) == (len(MOVIES), 2, 1)


@pytest.mark.parametrize("path", MOVIE_ROUTES)
async def test_movie_list_filters_by_genre(api: httpx.AsyncClient, path: str) -> None:
    body = decode(await api.get(path, params={"genre": "Comedy"}))
    assert [m["id"] for m in body["items"]] == [2, 4]


async def test_async_and_blocking_routes_answer_the_same(api: httpx.AsyncClient) -> None:
    query = {"genre": "Sci-Fi", "limit": 3}
    fast, slow = (
        await api.get("/movies", params=query),
        await api.get("/blocking-movies", params=query),
    )
    assert decode(fast) == decode(slow)


async def test_one_movie(api: httpx.AsyncClient) -> None:
    response = await api.get("/movies/5")
    assert response.status_code == 200
    assert decode(response) == MOVIES[4]


async def test_unknown_movie_is_404_json(api: httpx.AsyncClient) -> None:
    response = await api.get("/movies/999")
    assert response.status_code == 404
    body = decode(response)
    assert body["error"] == "not_found"
    assert body["request_id"] == response.headers["x-request-id"]


async def test_health_makes_no_upstream_call(
    api: httpx.AsyncClient, fake_catalog: FakeCatalog
) -> None:
    fake_catalog.fault = "connect"
    response = await api.get("/health")
    assert (response.status_code, decode(response)) == (200, {"status": "ok"})
    assert fake_catalog.calls == []


async def test_new_user_gets_best_rated(api: httpx.AsyncClient) -> None:
    body = decode(
        await api.get("/me/recommendations", params={"limit": 3}, headers=bearer("newcomer"))
    )
    assert body["based_on_ratings"] == 0
    assert [item["movie"]["id"] for item in body["items"]] == [6, 1, 5]


async def test_recommendations_follow_the_users_taste(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore
) -> None:
    await ratings.put("ana", Rating(movie_id=2, stars=5.0, genres=("Comedy",)))  # loves comedy
    await ratings.put("ana", Rating(movie_id=6, stars=1.0, genres=("Drama",)))  # dislikes drama
    body = decode(await api.get("/me/recommendations", params={"limit": 10}, headers=bearer("ana")))
    ids = [item["movie"]["id"] for item in body["items"]]
    assert body["based_on_ratings"] == 2
    assert 2 not in ids
    assert 6 not in ids
    assert ids[0] == 4  # the only unrated comedy jumps over better-rated sci-fi


async def test_recommendations_genre_filter(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore
) -> None:
    await ratings.put("sam", Rating(movie_id=1, stars=4.5, genres=("Sci-Fi",)))
    body = decode(
        await api.get("/me/recommendations", params={"genre": "sci-fi"}, headers=bearer("sam"))
    )
    assert [item["movie"]["id"] for item in body["items"]] == [5, 4]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/movies", {"limit": 0}),
        ("/movies", {"limit": 101}),
        ("/movies", {"offset": -1}),
        ("/movies", {"limit": "ten"}),
        ("/movies", {"genre": "<script>"}),
        ("/blocking-movies", {"limit": -5}),
        ("/movies/abc", {}),
        ("/movies/0", {}),
        ("/me/recommendations", {"limit": 0}),
        ("/me/recommendations", {"limit": 51}),
        ("/me/ratings", {"limit": 0}),
        ("/me/ratings", {"cursor": "x" * 65}),
    ],
)
async def test_invalid_input_is_422_json(
    api: httpx.AsyncClient, fake_catalog: FakeCatalog, path: str, query: dict[str, object]
) -> None:
    response = await api.get(path, params=query, headers=bearer("bob"))
    assert response.status_code == 422
    body = decode(response)
    assert body["error"] == "validation_error"
    assert body["request_id"]
    assert body["detail"]
    assert all("loc" in item for item in body["detail"])
    assert fake_catalog.calls == []


async def test_unknown_route_and_method_are_json(api: httpx.AsyncClient) -> None:
    missing = await api.get("/nope")
    assert (missing.status_code, decode(missing)["error"]) == (404, "not_found")
    wrong = await api.post("/movies")
    assert (wrong.status_code, decode(wrong)["error"]) == (405, "method_not_allowed")


UPSTREAM_ROUTES = ("/movies", "/movies/1", "/blocking-movies", "/me/recommendations")


@pytest.mark.parametrize("path", UPSTREAM_ROUTES)
@pytest.mark.parametrize(
    ("fault", "status", "error"),
    [
        ("timeout", 504, "upstream_timeout"),
        ("5xx", 502, "upstream_error"),
        ("connect", 502, "upstream_error"),
        ("drop", 502, "upstream_error"),
        ("invalid_json", 502, "bad_upstream_response"),
        ("wrong_shape", 502, "bad_upstream_response"),
    ],
)
async def test_catalog_faults_map_to_gateway_errors(
    api: httpx.AsyncClient,
    fake_catalog: FakeCatalog,
    path: str,
    fault: str,
    status: int,
    error: str,
) -> None:
    fake_catalog.fault = fault
    response = await api.get(path, headers=bearer("ana"))
    assert response.status_code == status
    body = decode(response)
    assert body["error"] == error
    assert body["request_id"] == response.headers["x-request-id"]
    assert "catalog.test" not in response.text  # no internal URL leaks
    assert fake_catalog.calls


async def test_exhausted_pool_is_503(api: httpx.AsyncClient, fake_catalog: FakeCatalog) -> None:
    fake_catalog.fault = "pool"
    response = await api.get("/movies")
    assert (response.status_code, decode(response)["error"]) == (503, "upstream_busy")


async def test_hanging_catalog_is_cut_by_the_deadline(
    api: httpx.AsyncClient, fake_catalog: FakeCatalog
) -> None:
    fake_catalog.fault = "hang"
    response = await api.get("/movies")
    assert response.status_code == 504
    body = decode(response)
    assert body["error"] == "deadline_exceeded"
    assert body["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/movies", "/blocking-movies", "/me/recommendations"])
async def test_catalog_404_on_listing_is_a_gateway_error(
    api: httpx.AsyncClient, fake_catalog: FakeCatalog, path: str
) -> None:
    fake_catalog.fault = "404"
    response = await api.get(path, headers=bearer("ana"))
    assert (response.status_code, decode(response)["error"]) == (502, "bad_upstream_response")


async def test_recommendations_cost_one_call_per_page_whatever_the_catalog_size(
    api: httpx.AsyncClient, ratings: InMemoryRatingStore, fake_catalog: FakeCatalog
) -> None:
    cold = await api.get("/me/recommendations", headers=bearer("newcomer"))
    assert cold.status_code == 200
    assert fake_catalog.calls == ["/movies"]  # a user without ratings: one call
    fake_catalog.calls.clear()
    for movie_id, stars, genres in ((2, 5.0, ("Comedy",)), (1, 4.5, ("Sci-Fi",))):
        await ratings.put("ana", Rating(movie_id=movie_id, stars=stars, genres=genres))
    await ratings.put("ana", Rating(movie_id=3, stars=1.0, genres=("Horror",)))
    await api.get("/me/recommendations", headers=bearer("ana"))
    # The best-rated page overall, and one per liked genre (Comedy, Sci-Fi; Horror is disliked).
    assert fake_catalog.calls == ["/movies"] * 3


async def test_a_rating_keeps_its_movies_genres(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    await api.post("/me/ratings", json={"movie_id": 4, "stars": 4}, headers=bearer("ana"))
    ((message, _),) = queue.sent
    assert message.genres == ["Comedy", "Sci-Fi"]  # type: ignore[union-attr]


@pytest.mark.parametrize("fault", ["huge", "redirect"])
@pytest.mark.parametrize("path", UPSTREAM_ROUTES)
async def test_an_untrustworthy_catalog_answer_is_a_502_after_one_call(
    api: httpx.AsyncClient, fake_catalog: FakeCatalog, fault: str, path: str
) -> None:
    fake_catalog.fault = fault
    response = await api.get(path, headers=bearer("ana"))
    assert (response.status_code, decode(response)["error"]) == (502, "bad_upstream_response")
    assert len(fake_catalog.calls) == 1  # no redirect followed, by either client


async def test_a_lying_total_costs_nothing_extra(
    api: httpx.AsyncClient, fake_catalog: FakeCatalog
) -> None:
    fake_catalog.fault = "lying_total"
    response = await api.get("/me/recommendations", headers=bearer("newcomer"))
    assert response.status_code == 200
    assert fake_catalog.calls == ["/movies"]  # no fan-out over the claimed 10^9 movies


async def test_the_base_url_points_to_the_docs_through_any_stage(api: httpx.AsyncClient) -> None:
    index = await api.get("/")
    assert index.status_code == 200
    links = index.json()
    assert links["name"] == "Movie API"
    prefix = api.base_url.path.rstrip("/")  # the stage or mapping key, as the client sees it
    for name in ("docs", "redoc", "openapi", "health"):
        assert links[name].startswith(f"{prefix}/"), (name, links[name])
        followed = await api.get(links[name].removeprefix(prefix))
        assert followed.status_code == 200, (name, links[name])


async def test_without_docs_the_base_url_points_to_health_only() -> None:
    app = app_with_fakes(Settings(catalog_url=CATALOG_URL, docs_enabled=False))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        links = (await client.get("/")).json()
    assert links == {
        "name": "Movie API",
        "docs": None,
        "redoc": None,
        "openapi": None,
        "health": "/health",
    }

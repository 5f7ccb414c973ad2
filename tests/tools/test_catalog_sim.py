"""The catalog simulator: routes, control plane, counters and every injected fault."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn

from infra.catalog_sim.app import create_app
from infra.catalog_sim.data import GENRES, generate_movies
from infra.catalog_sim.faults import ConnectionDropped, Fault, FaultPicker, SimConfig

MOVIES = generate_movies()
CATALOG_PATHS = ["/movies", "/movies/1", "/genres"]


@pytest.fixture
async def sim() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(SimConfig(latency_ms=0)))
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        yield client


@pytest.fixture
async def live_url() -> AsyncIterator[str]:
    """The simulator under a real uvicorn on a free loopback port."""
    config = uvicorn.Config(
        create_app(SimConfig(latency_ms=0)),
        host="127.0.0.1",
        port=0,
        http="httptools",
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "uvicorn failed to start"
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def configure(client: httpx.AsyncClient, **changes: Any) -> None:
    response = await client.put("/_control", json=changes)
    assert response.status_code == 200, response.text


# Routes


async def test_health(sim: httpx.AsyncClient) -> None:
    assert (await sim.get("/_health")).json() == {"status": "ok"}


async def test_genres_lists_every_genre_sorted(sim: httpx.AsyncClient) -> None:
    assert (await sim.get("/genres")).json() == {"genres": sorted(GENRES)}


async def test_movies_default_page(sim: httpx.AsyncClient) -> None:
    response = await sim.get("/movies")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"items": MOVIES[:50], "total": 600, "limit": 50, "offset": 0}


async def test_pages_tile_the_catalog_in_id_order(sim: httpx.AsyncClient) -> None:
    items: list[dict[str, Any]] = []
    for offset in range(0, 600, 250):
        page = (await sim.get("/movies", params={"limit": 250, "offset": offset})).json()
        assert (page["limit"], page["offset"], page["total"]) == (250, offset, 600)
        items += page["items"]
    assert items == MOVIES


async def test_offset_past_the_end_is_an_empty_page(sim: httpx.AsyncClient) -> None:
    page = (await sim.get("/movies", params={"offset": 595, "limit": 10})).json()
    assert [movie["id"] for movie in page["items"]] == [596, 597, 598, 599, 600]
    page = (await sim.get("/movies", params={"offset": 5000})).json()
    assert (page["items"], page["total"]) == ([], 600)


async def test_genre_filter_is_case_insensitive_and_exact(sim: httpx.AsyncClient) -> None:
    expected = [movie for movie in MOVIES if "Sci-Fi" in movie["genres"]]
    for genre in ("Sci-Fi", "sci-fi", "SCI-FI"):
        page = (await sim.get("/movies", params={"genre": genre, "limit": 1000})).json()
        assert (page["items"], page["total"]) == (expected, len(expected))
    page = (await sim.get("/movies", params={"genre": "Sci"})).json()
    assert (page["items"], page["total"]) == ([], 0)


async def test_genre_filter_pages(sim: httpx.AsyncClient) -> None:
    expected = [movie for movie in MOVIES if "Drama" in movie["genres"]]
    page = (await sim.get("/movies", params={"genre": "drama", "limit": 3, "offset": 2})).json()
    assert (page["items"], page["total"]) == (expected[2:5], len(expected))


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "1001"}, {"limit": "ten"}, {"offset": "-1"}, {"offset": "1.5"}],
)
async def test_invalid_paging_is_400(sim: httpx.AsyncClient, params: dict[str, str]) -> None:
    response = await sim.get("/movies", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert next(iter(params)) in body["detail"]


async def test_limit_bounds_are_inclusive(sim: httpx.AsyncClient) -> None:
    assert len((await sim.get("/movies", params={"limit": 1})).json()["items"]) == 1
    assert len((await sim.get("/movies", params={"limit": 1000})).json()["items"]) == 600


async def test_movie_by_id(sim: httpx.AsyncClient) -> None:
    for movie_id in (1, 321, 600):
        assert (await sim.get(f"/movies/{movie_id}")).json() == MOVIES[movie_id - 1]


@pytest.mark.parametrize("movie_id", ["0", "601", "-3", "abc", "1.0"])
async def test_unknown_movie_is_404(sim: httpx.AsyncClient, movie_id: str) -> None:
    response = await sim.get(f"/movies/{movie_id}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


# Counters and control plane


async def test_stats_count_only_catalog_routes_and_reset(sim: httpx.AsyncClient) -> None:
    for path in ["/movies", "/movies?limit=0", "/movies/2", "/movies/999", "/genres"]:
        await sim.get(path)
    for path in ["/_health", "/_control", "/_stats", "/nowhere"]:
        await sim.get(path)
    await configure(sim, latency_ms=0)
    stats = (await sim.get("/_stats")).json()
    assert stats == {
        "requests": 5,
        "by_route": {"/movies": 2, "/movies/{id}": 2, "/genres": 1},
    }
    reset = await sim.post("/_stats/reset")
    assert reset.json()["requests"] == 0
    assert (await sim.get("/_stats")).json() == {
        "requests": 0,
        "by_route": {"/movies": 0, "/movies/{id}": 0, "/genres": 0},
    }


async def test_control_get_and_partial_put(sim: httpx.AsyncClient) -> None:
    assert (await sim.get("/_control")).json() == SimConfig(latency_ms=0).to_dict()
    response = await sim.put("/_control", json={"error_rate": 0.25, "hang_s": 2})
    expected = SimConfig(latency_ms=0, error_rate=0.25, hang_s=2.0).to_dict()
    assert response.json() == expected
    assert (await sim.get("/_control")).json() == expected


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 0.6, "drop_rate": 0.5},
        {"no_such_setting": 1},
        {"latency_ms": -1},
        {"latency_ms": "100"},
        {"latency_ms": True},
        {"timeout_rate": 1.5},
        {"error_status": 200},
        {"hang_s": None},
        [1, 2],
    ],
)
async def test_bad_control_updates_are_400_and_change_nothing(
    sim: httpx.AsyncClient, body: Any
) -> None:
    before = (await sim.get("/_control")).json()
    response = await sim.put("/_control", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_config"
    assert (await sim.get("/_control")).json() == before


async def test_control_rejects_non_json(sim: httpx.AsyncClient) -> None:
    response = await sim.put("/_control", content=b"latency_ms=5")
    assert response.status_code == 400


async def test_latency_delays_catalog_but_not_control(sim: httpx.AsyncClient) -> None:
    await configure(sim, latency_ms=150)
    start = time.perf_counter()
    assert (await sim.get("/genres")).status_code == 200
    assert time.perf_counter() - start >= 0.15
    start = time.perf_counter()
    await sim.get("/_stats")
    await sim.get("/_health")
    assert time.perf_counter() - start < 0.15


# Faults through the ASGI transport


@pytest.mark.parametrize("path", CATALOG_PATHS)
async def test_error_fault_answers_error_status(sim: httpx.AsyncClient, path: str) -> None:
    await configure(sim, error_rate=1.0)
    response = await sim.get(path)
    assert (response.status_code, response.json()["error"]) == (503, "injected_error")
    await configure(sim, error_status=500)
    assert (await sim.get(path)).status_code == 500


@pytest.mark.parametrize("path", CATALOG_PATHS)
async def test_invalid_json_fault(sim: httpx.AsyncClient, path: str) -> None:
    await configure(sim, invalid_json_rate=1.0)
    response = await sim.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


@pytest.mark.parametrize("path", CATALOG_PATHS)
async def test_wrong_shape_fault(sim: httpx.AsyncClient, path: str) -> None:
    await configure(sim, wrong_shape_rate=1.0)
    response = await sim.get(path)
    assert (response.status_code, response.json()) == (200, {"unexpected": True})


async def test_faulted_requests_are_still_counted(sim: httpx.AsyncClient) -> None:
    await configure(sim, error_rate=1.0)
    await sim.get("/movies")
    assert (await sim.get("/_stats")).json()["requests"] == 1


async def test_fault_mix_is_reproducible_and_close_to_the_rates(sim: httpx.AsyncClient) -> None:
    async def statuses() -> list[int]:
        await configure(sim, seed=11, error_rate=0.3, wrong_shape_rate=0.2)
        return [(await sim.get("/genres")).status_code for _ in range(400)]

    first = await statuses()
    assert first == await statuses()
    assert 90 <= first.count(503) <= 150


# Config and fault draw


def test_config_rejects_rates_summing_over_one() -> None:
    with pytest.raises(ValueError, match="sum"):
        SimConfig(timeout_rate=0.5, slow_body_rate=0.3, invalid_json_rate=0.3)
    assert SimConfig(timeout_rate=0.5, slow_body_rate=0.3, invalid_json_rate=0.2)


def test_config_from_env() -> None:
    config = SimConfig.from_env(
        {
            "CATALOG_LATENCY_MS": "25",
            "CATALOG_ERROR_RATE": "0.1",
            "CATALOG_TIMEOUT_RATE": "0.1",
            "CATALOG_INVALID_JSON_RATE": "0.1",
            "CATALOG_SLOW_BODY_RATE": "0.1",
            "CATALOG_DROP_RATE": "0.1",
            "CATALOG_WRONG_SHAPE_RATE": "0.1",
            "CATALOG_LYING_TOTAL_RATE": "0.1",
            "CATALOG_HUGE_BODY_RATE": "0.1",
            "CATALOG_REDIRECT_RATE": "0.1",
            "CATALOG_SEED": "9",
            "CATALOG_HANG_S": "1.5",
            "UNRELATED": "x",
        }
    )
    assert (config.latency_ms, config.seed, config.hang_s) == (25, 9, 1.5)
    assert set(config.rates().values()) == {0.1}
    assert SimConfig.from_env({}) == SimConfig()
    with pytest.raises(ValueError, match="CATALOG_LATENCY_MS"):
        SimConfig.from_env({"CATALOG_LATENCY_MS": "fast"})
    with pytest.raises(ValueError, match="sum"):
        SimConfig.from_env({"CATALOG_ERROR_RATE": "0.7", "CATALOG_DROP_RATE": "0.7"})


def test_picker_draws_each_fault_at_its_rate_from_one_seed() -> None:
    config = SimConfig(error_rate=0.1, drop_rate=0.2, wrong_shape_rate=0.3)
    picks = [FaultPicker(5).pick(config) for _ in range(3)]
    assert picks[0] == picks[1] == picks[2]
    picker = FaultPicker(5)
    drawn = [picker.pick(config) for _ in range(10_000)]
    picker.reseed(5)
    assert [picker.pick(config) for _ in range(10_000)] == drawn
    for fault, rate in [(Fault.ERROR, 0.1), (Fault.DROP, 0.2), (Fault.WRONG_SHAPE, 0.3)]:
        assert abs(drawn.count(fault) / 10_000 - rate) < 0.02
    assert abs(drawn.count(None) / 10_000 - 0.4) < 0.02
    assert FaultPicker(5).pick(SimConfig()) is None


# Faults over real HTTP, where timeouts and broken connections are observable


async def test_timeout_fault_hangs_then_answers(live_url: str) -> None:
    async with httpx.AsyncClient(base_url=live_url, timeout=0.1) as client:
        await configure(client, timeout_rate=1.0, hang_s=0.4)
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/movies/7")
        start = time.perf_counter()
        response = await client.get("/movies/7", timeout=5)
        assert time.perf_counter() - start >= 0.4
        assert response.json() == MOVIES[6]


async def test_slow_body_fault_sends_headers_then_trickles(live_url: str) -> None:
    async with httpx.AsyncClient(base_url=live_url, timeout=5) as client:
        await configure(client, slow_body_rate=1.0, slow_body_ms=400)
        start = time.perf_counter()
        async with client.stream("GET", "/movies", params={"limit": 5}) as response:
            assert response.status_code == 200
            headers_at = time.perf_counter() - start
            chunks = [chunk async for chunk in response.aiter_raw()]
        elapsed = time.perf_counter() - start
        assert headers_at < 0.2
        assert elapsed >= 0.4
        assert len(chunks) > 1
        assert json.loads(b"".join(chunks))["items"] == MOVIES[:5]


async def test_drop_fault_breaks_the_connection(live_url: str) -> None:
    async with httpx.AsyncClient(base_url=live_url, timeout=5) as client:
        await configure(client, drop_rate=1.0)
        for path in CATALOG_PATHS:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(path)
        await configure(client, drop_rate=0.0)
        assert (await client.get("/movies/1")).json() == MOVIES[0]
        assert (await client.get("/_stats")).json()["requests"] == 4


async def test_drop_raises_after_the_response_started_instead_of_a_500(
    sim: httpx.AsyncClient,
) -> None:
    await configure(sim, drop_rate=1.0)
    with pytest.raises(ConnectionDropped):
        await sim.get("/genres")


async def test_sort_by_rating_is_best_first_ties_by_id_also_within_a_genre(
    sim: httpx.AsyncClient,
) -> None:
    best = (await sim.get("/movies", params={"sort": "-rating", "limit": 1000})).json()["items"]
    assert [m["id"] for m in best] == [
        m["id"] for m in sorted(MOVIES, key=lambda m: (-m["rating"], m["id"]))
    ]
    drama = await sim.get("/movies", params={"sort": "-rating", "genre": "drama", "limit": 5})
    ratings = [m["rating"] for m in drama.json()["items"]]
    assert ratings == sorted(ratings, reverse=True)
    assert (await sim.get("/movies", params={"sort": "title"})).status_code == 400


async def test_catalog_size_is_configurable_and_deterministic() -> None:
    big = create_app(SimConfig(latency_ms=0), size=5000)
    transport = httpx.ASGITransport(app=big)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as client:
        page = (await client.get("/movies", params={"limit": 1})).json()
        assert page["total"] == 5000
        assert (await client.get("/movies/5000")).status_code == 200
    assert generate_movies(5000)[:600] == MOVIES  # the first 600 are the default catalog's


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        ("lying_total_rate", "lying"),
        ("huge_body_rate", "huge"),
        ("redirect_rate", "redirect"),
    ],
)
async def test_upstream_abuse_faults(sim: httpx.AsyncClient, fault: str, check: str) -> None:
    await sim.put("/_control", json={fault: 1.0, "huge_body_bytes": 1_000_000})
    response = await sim.get("/movies", params={"limit": 2})
    if check == "lying":
        assert response.json()["total"] == 10**9
        assert len(response.json()["items"]) == 2
    elif check == "huge":
        assert "content-length" not in response.headers
        assert len(response.content) > 1_000_000
    else:
        assert response.status_code == 302
        assert response.headers["location"].endswith("/movies?limit=2")

"""Real calls over loopback: routes, concurrency, faults and the deadline, end to end."""

import asyncio
import json
import time

import httpx
import pytest

from infra.local.processes import HOST, LocalStack, free_port
from infra.local.services import API_KINDS
from movies.settings import Settings
from tests.support.stacks import EXTERNAL, KINDS, TEST_DEADLINE_S, Stack


async def test_routes_answer_over_real_http(
    stack: Stack, api: httpx.AsyncClient, catalog: httpx.AsyncClient
) -> None:
    assert (await api.get("/health")).json() == {"status": "ok"}
    page = (await api.get("/movies", params={"genre": "Drama", "limit": 5})).json()
    assert len(page["items"]) == 5
    assert all("Drama" in m["genres"] for m in page["items"])
    assert (await api.get(f"/movies/{page['items'][0]['id']}")).json() == page["items"][0]
    assert (await api.get("/movies/99999")).status_code == 404
    assert (await api.get("/blocking-movies", params={"genre": "Drama", "limit": 5})).json() == page
    recs = (
        await api.get("/me/recommendations", params={"limit": 3}, headers=stack.auth("alice"))
    ).json()
    ratings = [item["movie"]["rating"] for item in recs["items"]]
    assert ratings == sorted(ratings, reverse=True)
    assert len(ratings) == 3


async def test_request_log_file_gets_one_line_per_request(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    if stack.log_file is None:
        pytest.skip("the log file of a remote target is not readable here")
    response = await api.get("/health", headers={"X-Request-Id": "e2e-log-check"})
    request_id = response.headers["x-request-id"]
    # uvicorn keeps the client's id; behind API Gateway its request id is the correlation id.
    assert (request_id == "e2e-log-check") is (stack.kind == "uvicorn")
    for _ in range(50):  # the line is written after the response is sent
        lines = [json.loads(line) for line in stack.log_file.read_text().splitlines()]
        matching = [line for line in lines if line.get("request_id") == request_id]
        if matching:
            break
        await asyncio.sleep(0.05)
    assert len(matching) == 1
    assert (matching[0]["route"], matching[0]["status"]) == ("/health", 200)


@pytest.mark.skipif(EXTERNAL is not None, reason="needs the local simulator's latency control")
async def test_hundred_concurrent_requests_do_not_serialize(uvicorn_stack: Stack) -> None:
    limits = httpx.Limits(max_connections=200)
    async with (
        httpx.AsyncClient(base_url=uvicorn_stack.api_url, timeout=30, limits=limits) as api,
        httpx.AsyncClient(base_url=str(uvicorn_stack.catalog_url)) as catalog,
    ):
        await catalog.put("/_control", json={"latency_ms": 1000})
        await catalog.post("/_stats/reset")  # the stack is shared: count this test's calls only
        start = time.perf_counter()
        responses = await asyncio.gather(*(api.get("/movies") for _ in range(100)))
        elapsed = time.perf_counter() - start
        assert [r.status_code for r in responses] == [200] * 100
        # Serialized, 100 calls of 1 s would take 100 s; concurrent, about one latency.
        assert elapsed < 5.0, f"100 requests took {elapsed:.1f} s"
        assert (await catalog.get("/_stats")).json()["requests"] == 100


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        ("error_rate", 502),
        ("invalid_json_rate", 502),
        ("wrong_shape_rate", 502),
        ("drop_rate", 502),
    ],
)
@pytest.mark.parametrize("path", ["/movies", "/blocking-movies", "/movies/1"])
async def test_catalog_faults_over_real_http(
    api: httpx.AsyncClient, catalog: httpx.AsyncClient, fault: str, status: int, path: str
) -> None:
    await catalog.put("/_control", json={fault: 1.0})
    response = await api.get(path)
    assert response.status_code == status
    assert response.json()["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize("path", ["/movies", "/blocking-movies", "/me/recommendations"])
async def test_hanging_catalog_is_cut_at_the_deadline(
    stack: Stack, api: httpx.AsyncClient, catalog: httpx.AsyncClient, path: str
) -> None:
    await catalog.put("/_control", json={"timeout_rate": 1.0, "hang_s": 20})
    start = time.perf_counter()
    response = await api.get(path, headers=stack.auth("alice"))
    elapsed = time.perf_counter() - start
    assert response.status_code == 504
    assert response.json()["error"] in {"deadline_exceeded", "upstream_timeout"}
    assert elapsed < TEST_DEADLINE_S + 1.5


@pytest.mark.skipif(EXTERNAL is not None, reason="starts its own API against a closed port")
@pytest.mark.parametrize("kind", KINDS)
async def test_catalog_down_is_502(kind: str) -> None:
    api_port, dead_port = free_port(), free_port()
    # The issuer is never asked: only public routes here.
    env = {"LAMBDA_CONCURRENCY": "1", "ISSUER_URL": f"http://{HOST}:{dead_port}"}
    with LocalStack([API_KINDS[kind](api_port, dead_port, env)]):
        async with httpx.AsyncClient(base_url=f"http://{HOST}:{api_port}") as api:
            for path in ("/movies", "/blocking-movies", "/movies/1"):
                response = await api.get(path)
                assert (response.status_code, response.json()["error"]) == (502, "upstream_error")


ALLOWED_ORIGIN = "http://localhost:3000"  # template.yaml's CorsAllowOrigins default


async def test_the_gateway_answers_preflights_and_unrouted_requests_itself(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    preflight = await api.options(
        "/me/ratings",
        headers={"origin": ALLOWED_ORIGIN, "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    health = await api.get("/health", headers={"origin": ALLOWED_ORIGIN})
    assert health.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    for path in ("/me/ratings/", "/nowhere"):
        unrouted = await api.get(path, headers=stack.auth("alice"))
        assert unrouted.status_code == 404
        assert unrouted.json() == {"message": "Not Found"}


@pytest.mark.parametrize("token_bytes", [11_000, 5_000_000])
async def test_a_token_over_the_header_quota_is_413_and_logged_on_every_stack(
    stack: Stack, api: httpx.AsyncClient, token_bytes: int
) -> None:
    response = await api.get("/me/ratings", headers={"authorization": "a" * token_bytes})
    assert response.status_code == 413
    assert response.json() == {"message": "Request Entity Too Large"}
    if stack.log_file is None:
        return  # a deployed stack logs it in API Gateway's access log
    for _ in range(50):
        lines = [json.loads(line) for line in stack.log_file.read_text().splitlines()]
        if any(line.get("status") == 413 for line in lines):
            break
        await asyncio.sleep(0.05)
    assert [line["answered_by"] for line in lines if line.get("status") == 413][-1:] == ["gateway"]


async def test_two_authorization_headers_are_refused_on_every_stack(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    token = stack.auth("alice")["authorization"]
    response = await api.get(
        "/me/ratings", headers=[("authorization", token), ("authorization", token)]
    )
    assert response.status_code == 401


async def test_a_caller_over_the_ratings_limit_gets_429_and_another_caller_does_not(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    limit = Settings().ratings_per_minute  # the template's RatingsPerMinute default, too
    # Fixed one-minute windows: start well inside one, so that every request counts in it.
    if time.time() % 60 > 45:
        await asyncio.sleep(60 - time.time() % 60 + 0.5)
    caller = stack.auth(f"limit{time.time_ns()}")
    statuses = [
        (
            await api.post("/me/ratings", json={"movie_id": movie, "stars": 3}, headers=caller)
        ).status_code
        for movie in range(1, limit + 1)
    ]
    assert statuses == [202] * limit
    refused = await api.post("/me/ratings", json={"movie_id": 1, "stars": 3}, headers=caller)
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    other = stack.auth(f"other{time.time_ns()}")
    answer = await api.post("/me/ratings", json={"movie_id": 1, "stars": 3}, headers=other)
    assert answer.status_code == 202

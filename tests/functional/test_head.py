"""HEAD wherever GET: the GET's status and headers, no body, on every path the `api` fixture
drives (in-process behind the local gateway, and through the Lambda handler under a stage
prefix and a custom domain's mapping key)."""

import io
import json

import httpx
import pytest

from tests.support.apps import app_with_fakes, behind_test_gateway
from tests.support.fakes import InMemoryTaskQueue
from tests.support.logs import fresh_logger
from tests.support.tokens import bearer

# Headers that differ between any two requests, GET or not.
PER_REQUEST = {"x-request-id", "x-process-time", "server-timing", "date"}
PUBLIC_GETS = [
    "/",
    "/health",
    "/movies?limit=2",
    "/blocking-movies?limit=2",
    "/movies/5",
    "/movies/999",  # 404
    "/movies?limit=0",  # 422
    "/movies/trending",
    "/openapi.json",
    "/docs",
    "/redoc",
]
PERSONAL_GETS = ["/me/ratings", "/me/recommendations?limit=3"]


def _lasting(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in PER_REQUEST}


async def _head_and_get(
    api: httpx.AsyncClient, path: str, **kwargs: dict[str, str]
) -> tuple[httpx.Response, httpx.Response]:
    head = await api.head(path, **kwargs)
    get = await api.get(path, **kwargs)
    return head, get


@pytest.mark.parametrize("path", PUBLIC_GETS)
async def test_head_answers_the_gets_status_and_headers_without_a_body(
    api: httpx.AsyncClient, path: str
) -> None:
    head, get = await _head_and_get(api, path)
    assert head.status_code == get.status_code
    assert _lasting(head) == _lasting(get)
    assert head.content == b""
    assert int(head.headers["content-length"]) > 0  # the GET's length, not the empty body's
    assert head.headers["x-request-id"] != get.headers["x-request-id"]


@pytest.mark.parametrize("path", PERSONAL_GETS)
async def test_head_on_a_personal_route_needs_the_token_as_get_does(
    api: httpx.AsyncClient, path: str
) -> None:
    # The gateway's own 401; over HTTP the server drops its body (tests/e2e), as for any HEAD.
    assert (await api.head(path)).status_code == 401
    head, get = await _head_and_get(api, path, headers=bearer("alice"))
    assert (head.status_code, get.status_code) == (200, 200)
    assert _lasting(head) == _lasting(get)
    assert head.content == b""


async def test_a_gzipped_get_is_described_as_gzipped(api: httpx.AsyncClient) -> None:
    gzip = {"accept-encoding": "gzip"}
    head, get = await _head_and_get(api, "/openapi.json", headers=gzip)
    assert head.headers["content-encoding"] == get.headers["content-encoding"] == "gzip"
    assert head.headers["content-length"] == get.headers["content-length"]


async def test_head_of_recommendations_queues_no_impression(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    # Nobody saw the movies a HEAD computed: trending must not count them.
    head = await api.head("/me/recommendations", headers=bearer("alice"))
    assert head.status_code == 200
    assert queue.sent == []
    await api.get("/me/recommendations", headers=bearer("alice"))
    assert [message.type for message, _ in queue.sent] == ["RecommendationsServed"]


async def test_other_methods_stay_405_and_allow_names_head() -> None:
    transport = httpx.ASGITransport(app=behind_test_gateway(app_with_fakes()))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        health = await client.delete("/health")
        ratings = await client.request("OPTIONS", "/me/ratings")
    assert (health.status_code, health.headers["allow"]) == (405, "GET, HEAD")
    assert (ratings.status_code, ratings.headers["allow"]) == (405, "GET, HEAD, POST")


async def test_the_access_log_names_the_method_the_client_sent() -> None:
    stream = io.StringIO()
    app = app_with_fakes(logger=fresh_logger("head-log", stream))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        await client.head("/movies/5")
    [line] = [json.loads(x) for x in stream.getvalue().splitlines() if '"request"' in x]
    assert (line["method"], line["route"], line["status"]) == ("HEAD", "/movies/{movie_id}", 200)

"""Error bodies never leak: each error path answers exactly {error, detail, request_id}.

No stack trace, no internal URL or address, whatever failed behind the app and whatever it said
about it; in-process and through the Lambda handler (Mangum, an HTTP API v2 event).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
import pytest
from aws_lambda_powertools import Logger, Metrics, Tracer

from handlers.mangum_handler import lambda_handler
from infra.gateway.edge import authorize_event
from movies.domain.idempotency import Conflict
from tests.fuzz.apps import (
    MAX_BODY_BYTES,
    SECRET_MESSAGE,
    BrokenStore,
    DownKeys,
    DownStore,
    FuzzApp,
    HeldKeys,
    assert_error_shape,
    assert_no_leak,
    build,
)
from tests.support.apps import ROUTES, behind_test_gateway
from tests.support.lambda_transport import LambdaTransport
from tests.support.tokens import AUTHORIZER, bearer

RATING = {"movie_id": 1, "stars": 4.5}
KEYED: dict[str, Any] = {"json": RATING, "headers": {"Idempotency-Key": '"k-1"'}}


@dataclass(frozen=True)
class ErrorPath:
    """How to make the app fail one way, and what it must answer."""

    status: int
    error: str | None
    method: str
    path: str
    app: Callable[[], FuzzApp] = build
    request: dict[str, Any] | None = None


def _catalog_raises_a_bug() -> FuzzApp:
    """The catalog transport raises something no handler maps, naming internal places."""
    fuzz = build()

    def explode(_: httpx.Request) -> httpx.Response:
        raise ValueError(SECRET_MESSAGE)

    fuzz.catalog.respond = explode  # type: ignore[method-assign]
    return fuzz


PATHS: dict[str, ErrorPath] = {
    "422 query": ErrorPath(422, "validation_error", "GET", "/movies?limit=0"),
    "422 body": ErrorPath(422, "validation_error", "POST", "/me/ratings",
                          request={"json": {"movie_id": "x", "stars": 9}}),
    "422 path": ErrorPath(422, "validation_error", "GET", "/movies/%C3%A9"),
    "422 cursor": ErrorPath(422, "validation_error", "GET", "/me/ratings?cursor=forged"),
    "404 movie": ErrorPath(404, "not_found", "GET", "/movies/999"),
    "404 route": ErrorPath(404, "not_found", "GET", "/internal/../admin"),
    "405": ErrorPath(405, "method_not_allowed", "DELETE", "/movies"),
    "413": ErrorPath(413, None, "POST", "/me/ratings",
                     request={"content": b"{" + b" " * MAX_BODY_BYTES + b"}",
                              "headers": {"content-type": "application/json"}}),
    "415": ErrorPath(415, None, "POST", "/me/ratings",
                     request={"content": b"movie_id=1&stars=4.5",
                              "headers": {"content-type": "application/x-www-form-urlencoded"}}),
    "414": ErrorPath(414, None, "GET", "/movies?pad=" + "x" * 5000),
    "502 5xx": ErrorPath(502, "upstream_error", "GET", "/movies",
                         lambda: build(catalog_fault="5xx")),
    "502 refused": ErrorPath(502, "upstream_error", "GET", "/movies/1",
                             lambda: build(catalog_fault="connect")),
    "502 dropped": ErrorPath(502, "upstream_error", "GET", "/me/recommendations",
                             lambda: build(catalog_fault="drop")),
    "502 bad json": ErrorPath(502, "bad_upstream_response", "GET", "/movies",
                              lambda: build(catalog_fault="invalid_json")),
    "503 pool": ErrorPath(503, "upstream_busy", "GET", "/movies",
                          lambda: build(catalog_fault="pool")),
    "503 queue": ErrorPath(503, "queue_unavailable", "POST", "/me/ratings",
                           lambda: build(queue_down=True), {"json": RATING}),
    "409 key in flight": ErrorPath(409, "idempotency_key_in_flight", "POST", "/me/ratings",
                                   lambda: build(keys=HeldKeys(Conflict.IN_FLIGHT)), KEYED),
    "422 key reused": ErrorPath(422, "idempotency_key_reused", "POST", "/me/ratings",
                                lambda: build(keys=HeldKeys(Conflict.REUSED)), KEYED),
    "422 key malformed": ErrorPath(422, "validation_error", "POST", "/me/ratings",
                                   request={**KEYED, "headers": {"Idempotency-Key": '"k'}}),
    "503 keys": ErrorPath(503, "store_unavailable", "POST", "/me/ratings",
                          lambda: build(keys=DownKeys()), KEYED),
    "503 store": ErrorPath(503, "store_unavailable", "GET", "/me/ratings",
                           lambda: build(store=DownStore())),
    "504 catalog timeout": ErrorPath(504, "upstream_timeout", "GET", "/movies",
                                     lambda: build(catalog_fault="timeout")),
    "504 deadline": ErrorPath(504, "deadline_exceeded", "GET", "/movies",
                              lambda: build(catalog_fault="hang", hang_s=5, deadline_s=0.2)),
    "500 store bug": ErrorPath(500, "internal_error", "GET", "/me/ratings",
                               lambda: build(store=BrokenStore())),
    "500 catalog bug": ErrorPath(500, "internal_error", "GET", "/movies", _catalog_raises_a_bug),
}  # fmt: skip


@pytest.fixture(params=["asgi", "lambda-v2"])
def via(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def _answer(fuzz: FuzzApp, via: str, case: ErrorPath) -> httpx.Response:
    transport: httpx.AsyncBaseTransport
    if via == "asgi":
        transport = httpx.ASGITransport(app=behind_test_gateway(fuzz.app))  # type: ignore[arg-type]
    else:
        logger = Logger(service="movie-api-test")
        handler = lambda_handler(fuzz.app, logger, Metrics(), Tracer(disabled=True))
        gateway = partial(authorize_event, ROUTES, AUTHORIZER)
        transport = LambdaTransport(handler, "v2", gateway=gateway)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://api.test", headers=bearer("alice")
    ) as api:
        return await api.request(case.method, case.path, **(case.request or {}))


@pytest.mark.parametrize("name", list(PATHS))
async def test_error_body_never_leaks(name: str, via: str) -> None:
    case = PATHS[name]
    response = await _answer(case.app(), via, case)
    assert response.status_code == case.status, response.text
    body = assert_error_shape(response)
    if case.error is not None:
        assert body["error"] == case.error, body
    assert_no_leak(response)


async def test_an_internal_error_says_nothing_of_its_cause(via: str) -> None:
    response = await _answer(build(store=BrokenStore()), via, PATHS["500 store bug"])
    body = assert_error_shape(response)
    assert body["detail"] == "unexpected server error"
    for word in ("boom", "RuntimeError", "dynamodb", "/var/task"):
        assert word not in response.text

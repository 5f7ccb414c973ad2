"""API Gateway's edge beyond routing, locally: the stage's route throttling (429), the request
size quotas (413), and a request-log line for every answer the gateway gives itself, with the
caller's `sub` on every line of a personal route."""

import io
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from infra.gateway.edge import LocalGateway
from infra.gateway.front import Front, cors_of, front_of
from infra.gateway.lambda_server import LambdaServer
from infra.gateway.quotas import PAYLOAD_BYTES, REQUEST_LINE_AND_HEADERS_BYTES
from infra.gateway.throttle import Throttle, throttle_of
from infra.local.template import load_template
from movies.api.middleware.access_log import AccessLog
from tests.support.apps import ROUTES, app_with_fakes
from tests.support.clock import Clock
from tests.support.fakes import InMemoryTaskQueue
from tests.support.logs import fresh_logger
from tests.support.tokens import AUTHORIZER, bearer

ALLOWED = "http://localhost:3000"  # template.yaml's CorsAllowOrigins default


class Edge:
    """The uvicorn stack's gateway in process: its app's queue, its log, its clock."""

    def __init__(self, rate: float = 1, burst: int = 2) -> None:
        self.queue = InMemoryTaskQueue()
        self.stream = io.StringIO()
        self.clock = Clock(100.0)
        logger = fresh_logger("edge-test", self.stream)
        front = Front(ROUTES, cors_of(load_template()), Throttle(rate, burst, self.clock))
        app = app_with_fakes(queue=self.queue, logger=logger)
        self.gateway = LocalGateway(app, ROUTES, AUTHORIZER, front, AccessLog(logger))

    def lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line]

    def requests(self) -> list[dict[str, object]]:
        return [line for line in self.lines() if line["message"] == "request"]


@pytest.fixture
def edge() -> Edge:
    return Edge()


@pytest.fixture
async def api(edge: Edge) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=edge.gateway)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield client


def test_the_stage_throttle_is_the_templates_unless_the_environment_names_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    throttle = throttle_of(load_template())
    assert throttle is not None
    assert (throttle.rate, throttle.burst) == (100.0, 200)  # ThrottlingRateLimit, BurstLimit
    monkeypatch.setenv("THROTTLING_RATE_LIMIT", "5")
    monkeypatch.setenv("THROTTLING_BURST_LIMIT", "7")
    throttle = throttle_of(load_template())
    assert throttle is not None
    assert (throttle.rate, throttle.burst) == (5.0, 7)
    assert front_of(ROUTES, load_template()).throttle is not None  # both stacks build this one


def test_a_token_bucket_admits_its_burst_then_its_rate() -> None:
    clock = Clock(100.0)
    bucket = Throttle(rate=2, burst=3, clock=clock)
    assert [bucket.admit("GET /movies") for _ in range(4)] == [True, True, True, False]
    assert bucket.admit("GET /health")  # each route has its own bucket
    clock.now += 0.5  # one token back at 2 a second
    assert [bucket.admit("GET /movies") for _ in range(2)] == [True, False]
    clock.now += 60  # never more than the burst
    assert [bucket.admit("GET /movies") for _ in range(4)] == [True, True, True, False]


async def test_beyond_the_route_throttle_the_gateway_answers_429_and_the_app_never_runs(
    edge: Edge, api: httpx.AsyncClient
) -> None:
    rating, headers = {"movie_id": 3, "stars": 4}, bearer("ana")
    statuses = [(await api.post("/me/ratings", json=rating, headers=headers)).status_code]
    statuses += [(await api.post("/me/ratings", json=rating, headers=headers)).status_code]
    refused = await api.post("/me/ratings", json=rating, headers={**headers, "origin": ALLOWED})
    assert statuses == [202, 202]
    assert refused.status_code == 429
    assert refused.json() == {"message": "Too Many Requests"}
    assert refused.headers["access-control-allow-origin"] == ALLOWED  # CORS still applies
    assert "x-request-id" not in refused.headers  # the app never ran
    assert len(edge.queue.sent) == 2  # nothing queued for the refused one
    assert (await api.get("/health")).status_code == 200  # another route, another bucket
    edge.clock.now += 1
    assert (await api.post("/me/ratings", json=rating, headers=headers)).status_code == 202


@pytest.mark.parametrize(
    ("what", "request_kwargs"),
    [
        ("a 10 KB token", {"headers": {"authorization": "Bearer " + "a" * 10_240}}),
        ("a 5 MB token", {"headers": {"authorization": "Bearer " + "a" * 5_000_000}}),
        ("a long query", {"params": {"genre": "x" * REQUEST_LINE_AND_HEADERS_BYTES}}),
        ("a payload over 10 MB", {"headers": {"content-length": str(PAYLOAD_BYTES + 1)}}),
    ],
)
async def test_a_request_over_the_http_api_quotas_is_413_before_anything_runs(
    edge: Edge, api: httpx.AsyncClient, what: str, request_kwargs: dict[str, object]
) -> None:
    response = await api.request("POST", "/me/ratings", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 413, what
    assert response.json() == {"message": "Request Entity Too Large"}
    assert edge.queue.sent == []


async def test_a_request_just_under_the_quota_is_routed_and_authorized(
    api: httpx.AsyncClient,
) -> None:
    # The request line ("GET /me/ratings HTTP/1.1", 24 bytes) and every header value count.
    token = "Bearer " + "a" * (REQUEST_LINE_AND_HEADERS_BYTES - 24 - 200)
    response = await api.get("/me/ratings", headers={"authorization": token})
    assert response.status_code == 401  # the authorizer's answer: within the quota


async def test_every_answer_the_gateway_gives_itself_is_in_the_request_log(
    edge: Edge, api: httpx.AsyncClient
) -> None:
    preflight = {"origin": ALLOWED, "access-control-request-method": "POST"}
    answers = [
        (await api.get("/me/ratings")).status_code,
        (await api.get("/me/ratings", headers=bearer("ana", scope=""))).status_code,
        (await api.get("/nowhere")).status_code,
        (await api.options("/me/ratings", headers=preflight)).status_code,
        (await api.get("/me/ratings", headers={"authorization": "a" * 11_000})).status_code,
    ]
    assert answers == [401, 403, 404, 204, 413]
    lines = edge.requests()
    assert [(line["status"], line["answered_by"]) for line in lines] == [
        (status, "gateway") for status in answers
    ]
    assert [line["path"] for line in lines][:3] == ["/me/ratings", "/me/ratings", "/nowhere"]
    assert all(line.get("route") is None and line["request_id"] for line in lines)
    assert "a" * 100 not in edge.stream.getvalue()  # never the token


async def test_every_line_of_a_personal_route_names_its_caller(
    edge: Edge, api: httpx.AsyncClient
) -> None:
    await api.get("/me/ratings", headers=bearer("ana"))
    await api.post("/me/ratings", json={"movie_id": 3, "stars": 4}, headers=bearer("bob"))
    await api.get("/movies/trending", headers=bearer("carol"))  # public: nobody verified
    lines = edge.requests()
    assert [(line["path"], line.get("user")) for line in lines] == [
        ("/me/ratings", "ana"),
        ("/me/ratings", "bob"),
        ("/movies/trending", None),
    ]
    assert all("answered_by" not in line for line in lines)  # the app's own lines


async def test_the_lambda_stand_in_logs_its_own_answers_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    stream = io.StringIO()
    monkeypatch.setenv("ISSUER_URL", "http://127.0.0.1:9/issuer")  # never asked: no valid token
    monkeypatch.setenv("THROTTLING_RATE_LIMIT", "1")
    monkeypatch.setenv("THROTTLING_BURST_LIMIT", "1")
    monkeypatch.setattr(
        "infra.gateway.lambda_server.gateway_log",
        lambda: AccessLog(fresh_logger("stand-in-test", stream)),
    )
    server = LambdaServer(concurrency=1)
    transport = httpx.ASGITransport(app=server)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as api:
            statuses = [
                (await api.get("/nowhere")).status_code,
                (await api.get("/me/ratings", headers={"authorization": "x" * 11_000})).status_code,
                (await api.get("/me/ratings", headers={"authorization": "Bearer x"})).status_code,
                (await api.get("/me/ratings")).status_code,  # the route's one token is spent
            ]
    finally:
        server.pool.close()
    assert statuses == [404, 413, 401, 429]
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["status"], line["answered_by"]) for line in lines] == [
        (status, "gateway") for status in statuses
    ]
    assert server.pool.pids() == []  # none of them reached an environment

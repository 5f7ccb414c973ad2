"""API Gateway's front door locally: CORS from the template, 404 for unrouted requests, joined
headers, answered as the HTTP API answers them, before the app runs."""

from collections.abc import AsyncIterator

import httpx
import pytest

from infra.gateway.edge import LocalGateway
from infra.gateway.front import Cors, Front, cors_of, joined
from infra.local.template import load_template
from tests.support.apps import ROUTES, app_with_fakes
from tests.support.fakes import InMemoryTaskQueue
from tests.support.tokens import AUTHORIZER, bearer

ALLOWED = "http://localhost:3000"  # template.yaml's CorsAllowOrigins default
PREFLIGHT = {"origin": ALLOWED, "access-control-request-method": "POST"}


@pytest.fixture
def queue() -> InMemoryTaskQueue:
    return InMemoryTaskQueue()


@pytest.fixture
async def api(queue: InMemoryTaskQueue) -> AsyncIterator[httpx.AsyncClient]:
    front = Front(ROUTES, cors_of(load_template()))
    gateway = LocalGateway(app_with_fakes(queue=queue), ROUTES, AUTHORIZER, front)
    transport = httpx.ASGITransport(app=gateway)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield client


def test_the_template_cors_configuration_is_read_as_deployed() -> None:
    cors = cors_of(load_template())
    assert cors is not None
    assert cors.allow_origins == (ALLOWED,)
    assert set(cors.allow_methods) >= {"GET", "POST", "OPTIONS"}
    assert "authorization" in cors.allow_headers
    assert "x-request-id" in cors.expose_headers


def test_cors_origins_follow_the_parameter_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ALLOW_ORIGINS", "https://app.example,https://admin.example")
    cors = cors_of(load_template())
    assert cors is not None
    assert cors.allows("https://admin.example")
    assert not cors.allows(ALLOWED)


@pytest.mark.parametrize(
    ("allowed", "origin", "allows"),
    [
        ("*", "https://anything.example", True),
        ("https://*", "https://anything.example", True),
        ("https://*", "http://anything.example", False),
        ("https://app.example", "https://APP.example", True),
        ("https://app.example", "https://app.example.evil", False),
    ],
)
def test_allowed_origins_match_as_api_gateway_documents(
    allowed: str, origin: str, allows: bool
) -> None:
    assert Cors(allow_origins=(allowed,)).allows(origin) is allows


async def test_a_preflight_from_an_allowed_origin_is_answered_by_the_gateway(
    api: httpx.AsyncClient,
) -> None:
    response = await api.options(
        "/me/ratings", headers={**PREFLIGHT, "access-control-request-headers": "authorization"}
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"]
    assert response.headers["access-control-max-age"] == "600"
    assert "x-request-id" not in response.headers  # the app never saw it


async def test_a_preflight_from_another_origin_gets_no_cors_header(
    api: httpx.AsyncClient,
) -> None:
    response = await api.options("/me/ratings", headers={**PREFLIGHT, "origin": "https://evil"})
    assert response.status_code == 204
    assert not [name for name in response.headers if name.startswith("access-control-")]


async def test_answers_to_an_allowed_origin_carry_the_gateways_cors_headers(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/health", headers={"origin": ALLOWED})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "Origin" in response.headers["vary"]
    assert "x-request-id" in response.headers["access-control-expose-headers"]
    other = await api.get("/health", headers={"origin": "https://evil"})
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("path", ["/health", "/movies/3", "/docs", "/openapi.json"])
async def test_head_is_routed_wherever_get_is(api: httpx.AsyncClient, path: str) -> None:
    head, get = await api.head(path), await api.get(path)
    assert (head.status_code, get.status_code) == (200, 200)
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.content == b""
    unrouted = await api.head(f"{path}/nowhere")
    assert unrouted.status_code == 404
    assert "x-request-id" not in unrouted.headers  # the gateway's answer: the app never ran


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/me/ratings/"),
        ("GET", "//movies"),
        ("GET", "/nowhere"),
        ("DELETE", "/movies"),
        ("PUT", "/me/ratings"),
    ],
)
async def test_what_no_route_matches_is_the_gateways_404_and_never_reaches_the_app(
    api: httpx.AsyncClient, method: str, path: str
) -> None:
    # The whole URL: httpx would read a path of "//movies" alone as a host.
    response = await api.request(method, f"http://api.test{path}", headers=bearer("ana"))
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}
    assert "x-request-id" not in response.headers  # the app's middleware never ran


async def test_two_authorization_headers_are_joined_and_refused(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    token = bearer("ana")["authorization"]
    response = await api.post(
        "/me/ratings",
        json={"movie_id": 1, "stars": 3},
        headers=[("authorization", token), ("authorization", token)],
    )
    assert response.status_code == 401
    assert queue.sent == []


def test_repeated_headers_are_joined_with_commas_in_order() -> None:
    assert joined([("Accept", "a"), ("x-one", "1"), ("accept", "b")]) == {
        "accept": "a,b",
        "x-one": "1",
    }

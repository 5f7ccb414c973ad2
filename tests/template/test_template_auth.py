"""The template's doors: every route states its authorization, and the local stacks read the
same list, so what is public locally is exactly what is public on AWS."""

import re
from typing import Any

import pytest

from infra.gateway.routes import Route, route_for, routes_of
from tests.support.apps import app_with_fakes


def with_head(routes: set[str]) -> set[str]:
    """`routes` and the HEAD twin of each GET among them."""
    return routes | {f"HEAD {key[4:]}" for key in routes if key.startswith("GET ")}


# Routes the spec does not list: the index, the docs and the files they load.
UNLISTED = {
    "GET /",
    "GET /docs",
    "GET /docs/oauth2-redirect",
    "GET /docs/assets/{name}",
    "GET /redoc",
    "GET /redoc/logo-mini.svg",
    "GET /openapi.json",
}
PUBLIC = with_head(
    {
        "GET /health",
        "GET /movies",
        "GET /movies/{movie_id}",
        "GET /movies/trending",
        "GET /blocking-movies",
        *UNLISTED,
    }
)
PERSONAL = with_head({"POST /me/ratings", "GET /me/ratings", "GET /me/recommendations"})


@pytest.fixture(scope="module")
def routes(template: dict[str, Any]) -> list[Route]:
    return routes_of(template)


def test_every_route_is_public_or_behind_the_jwt_authorizer(routes: list[Route]) -> None:
    by_key = {f"{route.method} {route.path}": route.authorizer for route in routes}
    assert len(by_key) == len(routes)  # no route declared twice
    assert {key for key, authorizer in by_key.items() if authorizer is None} == PUBLIC
    assert {key for key, authorizer in by_key.items() if authorizer is not None} == PERSONAL
    assert {by_key[key] for key in PERSONAL} == {"JwtAuthorizer"}


def test_every_get_route_has_a_head_twin_behind_the_same_authorizer(routes: list[Route]) -> None:
    # An HTTP API route matches its own method only: without the twin, HEAD is a gateway 404.
    def door(route: Route) -> tuple[str | None, tuple[str, ...]]:
        return route.authorizer, route.scopes

    gets = {route.path: door(route) for route in routes if route.method == "GET"}
    heads = {route.path: door(route) for route in routes if route.method == "HEAD"}
    assert heads == gets


def test_no_catch_all_route(routes: list[Route]) -> None:
    # An authorizer on a catch-all route would also catch CORS preflights (OPTIONS). `GET /` is
    # the root alone, not a catch-all: that is `$default`, ANY or a greedy {name+}.
    assert not [r for r in routes if r.method == "ANY" or "+}" in r.path or r.path == "$default"]


def test_the_gateway_routes_exactly_the_apps_routes(routes: list[Route]) -> None:
    paths = app_with_fakes().openapi()["paths"]
    served = {
        f"{method.upper()} {path}" for path, operations in paths.items() for method in operations
    }
    assert with_head(served | UNLISTED) == {f"{route.method} {route.path}" for route in routes}


@pytest.mark.parametrize(
    ("method", "path", "public"),
    [
        ("GET", "/movies/trending", True),
        ("GET", "/movies/42", True),
        ("GET", "/me/ratings", False),
        ("POST", "/me/ratings", False),
        ("GET", "/me/recommendations", False),
        ("HEAD", "/health", True),
        ("HEAD", "/movies/42", True),
        ("HEAD", "/me/ratings", False),
    ],
)
def test_the_local_route_table_picks_what_api_gateway_picks(
    routes: list[Route], method: str, path: str, public: bool
) -> None:
    route = route_for(routes, method, path)
    assert route is not None
    assert (route.authorizer is None) == public


def test_unrouted_requests_match_nothing(routes: list[Route]) -> None:
    assert route_for(routes, "DELETE", "/me/ratings") is None
    assert route_for(routes, "GET", "/users/bob/ratings") is None
    assert route_for(routes, "OPTIONS", "/me/ratings") is None  # preflight: the gateway's own


def test_jwt_authorizer_reads_the_bearer_header_and_the_issuer_parameters(
    template: dict[str, Any],
) -> None:
    auth = template["Resources"]["HttpApi"]["Properties"]["Auth"]
    assert auth["DefaultAuthorizer"] == "JwtAuthorizer"
    jwt = auth["Authorizers"]["JwtAuthorizer"]
    assert jwt["IdentitySource"] == "$request.header.Authorization"
    issuer = jwt["JwtConfiguration"]["issuer"]["Fn::If"]
    assert issuer[0] == "CreateUserPool"
    assert issuer[2] == {"Ref": "JwtIssuer"}
    assert "${UserPool}" in issuer[1]["Fn::Sub"]
    audience = jwt["JwtConfiguration"]["audience"][0]["Fn::If"]
    assert audience == ["CreateUserPool", {"Ref": "UserPoolClient"}, {"Ref": "JwtAudience"}]


@pytest.mark.parametrize(
    ("issuer", "accepted"),
    [
        ("", True),
        ("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc", True),
        ("http://issuer.example", False),
        ("issuer.example", False),
    ],
)
def test_jwt_issuer_must_be_https(template: dict[str, Any], issuer: str, accepted: bool) -> None:
    pattern = template["Parameters"]["JwtIssuer"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, issuer)) == accepted


def test_cors_lets_browsers_send_the_token_and_an_idempotency_key(
    template: dict[str, Any],
) -> None:
    cors = template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
    assert {"authorization", "idempotency-key"} <= set(cors["AllowHeaders"])
    # A browser's script may read whether an answer was a replay only if the gateway exposes it.
    assert "idempotent-replayed" in cors["ExposeHeaders"]


def test_both_functions_have_reserved_concurrency(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    api = resources["ApiFunction"]
    assert api["Properties"]["ReservedConcurrentExecutions"] == {"Ref": "ApiReservedConcurrency"}
    skips = {skip["id"] for skip in api["Metadata"]["checkov"]["skip"]}
    assert "CKV_AWS_115" not in skips
    worker = resources["WorkerFunction"]["Properties"]
    floor = template["Parameters"]["WorkerReservedConcurrency"]
    assert worker["ReservedConcurrentExecutions"] == {"Ref": "WorkerReservedConcurrency"}
    mapping = resources["WorkerFunctionTaskQueue"]["Properties"]
    maximum = mapping["ScalingConfig"]["MaximumConcurrency"]
    assert floor["MinValue"] >= maximum  # the event source never invokes into a throttle


def test_traces_keep_no_response_bodies_and_docs_follow_the_stage(
    template: dict[str, Any],
) -> None:
    env = template["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert env["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    assert env["DOCS_ENABLED"] == {"Fn::If": ["DocsEnabled", "true", "false"]}
    docs = template["Conditions"]["DocsEnabled"]["Fn::Or"]
    assert {"Fn::Equals": [{"Ref": "EnableDocs"}, "true"]} in docs

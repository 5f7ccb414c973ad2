"""The published spec declares every status each route can answer with."""

import httpx
import pytest

from movies.settings import Settings
from tests.support.apps import CATALOG_URL, app_with_fakes

EXPECTED = {
    ("/health", "get"): {"200", "414", "504"},
    ("/movies", "get"): {"200", "304", "414", "422", "502", "503", "504"},
    ("/blocking-movies", "get"): {"200", "414", "422", "502", "503", "504"},
    ("/movies/{movie_id}", "get"): {"200", "304", "404", "414", "422", "502", "503", "504"},
    ("/movies/trending", "get"): {"200", "304", "414", "422", "503", "504"},
    ("/me/recommendations", "get"): {"200", "401", "414", "422", "429", "502", "503", "504"},
    ("/me/ratings", "get"): {"200", "401", "414", "422", "503", "504"},
    ("/me/ratings", "post"): {
        *("202", "401", "404", "409", "413", "414", "415", "422", "429", "502", "503", "504"),
    },
}
PERSONAL = {("/me/recommendations", "get"), ("/me/ratings", "get"), ("/me/ratings", "post")}
PUBLIC = {("/movies", "get"), ("/movies/{movie_id}", "get"), ("/movies/trending", "get")}


async def test_every_route_declares_its_statuses(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/openapi.json")).json()
    declared = {
        (path, method): set(operation["responses"])
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    }
    assert declared == EXPECTED


@pytest.mark.parametrize("status", ["422", "502", "504"])
async def test_error_statuses_use_the_error_body_schema(
    api: httpx.AsyncClient, status: str
) -> None:
    spec = (await api.get("/openapi.json")).json()
    content = spec["paths"]["/movies"]["get"]["responses"][status]["content"]
    assert content["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert set(spec["components"]["schemas"]["ErrorBody"]["required"]) == {
        "error",
        "detail",
        "request_id",
    }


async def test_public_routes_declare_if_none_match_their_304_and_caching_headers(
    api: httpx.AsyncClient,
) -> None:
    spec = (await api.get("/openapi.json")).json()
    conditional = set()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "if-none-match" in names:
                conditional.add((path, method))
                responses = operation["responses"]
                for status in ("200", "304"):
                    assert set(responses[status]["headers"]) == {"ETag", "Cache-Control", "Vary"}
                assert "content" not in responses["304"]
    assert conditional == PUBLIC


async def test_docs_page_loads(api: httpx.AsyncClient) -> None:
    response = await api.get("/docs")
    assert response.status_code == 200
    assert "/openapi.json" in response.text


async def test_personal_routes_declare_the_bearer_scheme_so_docs_can_authorize(
    api: httpx.AsyncClient,
) -> None:
    spec = (await api.get("/openapi.json")).json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An access token from the issuer",
    }
    secured = {
        (path, method)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if operation.get("security") == [{"HTTPBearer": []}]
    }
    assert secured == PERSONAL


async def test_the_idempotency_key_is_documented_where_it_is_read(
    api: httpx.AsyncClient,
) -> None:
    spec = (await api.get("/openapi.json")).json()
    headers = {
        (path, method): [p for p in operation.get("parameters", []) if p["in"] == "header"]
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    }
    [key] = headers.pop(("/me/ratings", "post"))
    # No other operation reads a header, but the public ones' If-None-Match (HTTP caching).
    others = {(path, p["name"]) for (path, _), found in headers.items() for p in found}
    assert others == {
        (path, "if-none-match") for path in ("/movies", "/movies/{movie_id}", "/movies/trending")
    }
    assert (key["name"], key["required"], key["schema"]["type"]) == (
        "Idempotency-Key",
        False,
        "string",
    )
    assert "idempotency_key_reused" in key["description"]
    accepted = spec["paths"]["/me/ratings"]["post"]["responses"]["202"]
    assert set(accepted["headers"]) == {"Location", "Idempotent-Replayed"}


async def test_docs_can_be_turned_off() -> None:
    app = app_with_fakes(Settings(catalog_url=CATALOG_URL, docs_enabled=False))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.test"
    ) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/docs/assets/swagger-ui-bundle.js"):
            response = await client.get(path)
            assert (response.status_code, response.json()["error"]) == (404, "not_found")
        assert (await client.get("/health")).status_code == 200

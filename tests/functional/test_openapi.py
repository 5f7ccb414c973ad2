"""The published spec declares every status each route can answer with."""

import httpx
import pytest

EXPECTED = {
    ("/health", "get"): {"200", "414", "504"},
    ("/movies", "get"): {"200", "414", "422", "502", "503", "504"},
    ("/blocking-movies", "get"): {"200", "414", "422", "502", "503", "504"},
    ("/movies/{movie_id}", "get"): {"200", "404", "414", "422", "502", "503", "504"},
    ("/recommendations/{user_id}", "get"): {"200", "414", "422", "502", "503", "504"},
    ("/movies/trending", "get"): {"200", "414", "422", "503", "504"},
    ("/users/{user_id}/ratings", "get"): {"200", "414", "422", "503", "504"},
    ("/users/{user_id}/ratings", "post"): {"202", "413", "414", "415", "422", "503", "504"},
}


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


async def test_docs_page_loads(api: httpx.AsyncClient) -> None:
    response = await api.get("/docs")
    assert response.status_code == 200
    assert "/openapi.json" in response.text

"""Each catalog error is answered through the app with the status and error name clients rely on."""

import httpx
import pytest
from fastapi import FastAPI

from movies.catalog.errors import (
    CatalogBadResponse,
    CatalogBusy,
    CatalogError,
    CatalogTimeout,
    CatalogUnavailable,
    MovieNotFound,
)
from tests.support.apps import app_with_fakes


@pytest.mark.parametrize(
    ("error", "status", "name"),
    [
        (MovieNotFound("x"), 404, "not_found"),
        (CatalogBadResponse("x"), 502, "bad_upstream_response"),
        (CatalogUnavailable("x"), 502, "upstream_error"),
        (CatalogTimeout("x"), 504, "upstream_timeout"),
        (CatalogBusy("x"), 503, "upstream_busy"),
    ],
)
async def test_each_catalog_error_is_answered_with_its_status(
    error: CatalogError, status: int, name: str
) -> None:
    app: FastAPI = app_with_fakes()

    @app.get("/raise")
    async def raise_it() -> None:
        raise error

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as api:
        response = await api.get("/raise", headers={"x-request-id": "r1"})
    assert response.status_code == status
    assert response.json() == {"error": name, "detail": "x", "request_id": "r1"}

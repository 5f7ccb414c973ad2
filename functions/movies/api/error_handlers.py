"""Every error as one JSON shape with the request id: exception handlers and raw ASGI answers.

The catalog's own errors get their status here: the catalog package knows nothing of HTTP.
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Send

from movies.api.deps import services
from movies.catalog.errors import (
    CatalogBadResponse,
    CatalogBusy,
    CatalogError,
    CatalogTimeout,
    MovieNotFound,
)
from movies.errors import ApiError

_HTTP_ERROR_NAMES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
# The first match wins, so the last row answers any other catalog failure (CatalogUnavailable).
_CATALOG_ERRORS: tuple[tuple[type[CatalogError], int, str], ...] = (
    (MovieNotFound, 404, "not_found"),
    (CatalogBadResponse, 502, "bad_upstream_response"),
    (CatalogTimeout, 504, "upstream_timeout"),
    (CatalogBusy, 503, "upstream_busy"),
    (CatalogError, 502, "upstream_error"),
)


def error_body(error: str, detail: Any, request_id: str) -> bytes:
    """Serialize the error shape shared by every error response."""
    return json.dumps({"error": error, "detail": detail, "request_id": request_id}).encode()


async def send_error(send: Send, status: int, error: str, detail: Any, request_id: str) -> None:
    """Answer with the JSON error shape from raw ASGI code (middleware, no Response object)."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": error_body(error, detail, request_id)})


def _json_error(request: Request, status: int, error: str, detail: Any) -> Response:
    request_id = getattr(request.state, "request_id", "")
    return Response(
        error_body(error, detail, request_id), status_code=status, media_type="application/json"
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    response = _json_error(request, exc.status_code, exc.error, exc.detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _catalog_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CatalogError)
    status, error = next((s, e) for kind, s, e in _CATALOG_ERRORS if isinstance(exc, kind))
    if status >= 500:  # the operator's to see, with the figure (status, size) the detail names
        services(request).logger.warning(
            "catalog failed", extra={"error": error, "detail": str(exc), "status": status}
        )
    return _json_error(request, status, error, str(exc))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Only where and why: echoing the rejected input back could reflect anything the client sent.
    detail = [_where_and_why(error, exc.body) for error in exc.errors()]
    return _json_error(request, 422, "validation_error", jsonable_encoder(detail))


def _where_and_why(error: Mapping[str, Any], body: Any) -> dict[str, Any]:
    """One validation error as the client sees it; a body that is not JSON is placed by line
    and column, where FastAPI gives a character offset (`loc: ["body", 26]`)."""
    location = list(error["loc"])
    if error["type"] == "json_invalid" and isinstance(body, str) and location[1:2]:
        offset = int(location[1])
        line = body.count("\n", 0, offset) + 1
        column = offset - body.rfind("\n", 0, offset)
        why = error.get("ctx", {}).get("error", "not valid JSON")
        return {
            "loc": ["body"],
            "msg": f"the body is not valid JSON: {why} at line {line}, column {column}",
            "type": "json_invalid",
            "line": line,
            "column": column,
        }
    return {"loc": location, "msg": error["msg"], "type": error["type"]}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's answer to a body that is not valid JSON: a validation error like any other.
        detail = [{"loc": ["body"], "msg": "the body is not valid JSON", "type": "json_invalid"}]
        return _json_error(request, 422, "validation_error", detail)
    error = _HTTP_ERROR_NAMES.get(exc.status_code, "http_error")
    response = _json_error(request, exc.status_code, error, exc.detail)
    if exc.headers:
        response.headers.update(exc.headers)
    if exc.status_code == 405:
        # Starlette lists the methods of the first route matching the path only; one path can
        # have several routes (GET and POST /users/{id}/ratings), and Allow must name them all.
        response.headers["allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in _flatten(request.app.router.routes):
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(request.scope)[0] != Match.NONE:
            methods |= set(route_methods)
    if "GET" in methods:
        methods.add("HEAD")  # the edge answers HEAD wherever GET (movies.api.middleware.head)
    return sorted(methods)


def _flatten(routes: Iterable[Any]) -> Iterator[Any]:
    """Every route, including those of included routers (FastAPI nests them)."""
    for route in routes:
        nested = getattr(route, "original_router", None)
        yield from _flatten(nested.routes) if nested is not None else (route,)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on `app`; unexpected exceptions are answered by EdgeMiddleware."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(CatalogError, _catalog_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)

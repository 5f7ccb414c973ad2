"""Exception handlers that turn every error into the JSON error shape, with the request id."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from movies.errors import ApiError, error_body

_HTTP_ERROR_NAMES = {404: "not_found", 405: "method_not_allowed"}


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


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Only where and why: echoing the rejected input back could reflect anything the client sent.
    detail = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    return _json_error(request, 422, "validation_error", jsonable_encoder(detail))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    error = _HTTP_ERROR_NAMES.get(exc.status_code, "http_error")
    response = _json_error(request, exc.status_code, error, exc.detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on `app`; unexpected exceptions are answered by TimingMiddleware."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)

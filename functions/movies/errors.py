"""API errors: the exceptions routes raise and the one JSON shape every error answers with."""

import json
from typing import Any

from starlette.types import Send


class ApiError(Exception):
    """An error with a status code and a stable machine-readable name."""

    status_code = 500
    error = "internal_error"
    headers: dict[str, str] | None = None

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ApiError):
    """The thing asked for does not exist."""

    status_code = 404
    error = "not_found"


class UpstreamError(ApiError):
    """The catalog failed: 5xx, refused or dropped connection."""

    status_code = 502
    error = "upstream_error"


class BadUpstreamResponse(UpstreamError):
    """The catalog answered with a body that is not the expected JSON."""

    error = "bad_upstream_response"


class UpstreamTimeout(ApiError):
    """The catalog did not answer in time."""

    status_code = 504
    error = "upstream_timeout"


class UpstreamBusy(ApiError):
    """Every pooled catalog connection stayed busy past the pool timeout."""

    status_code = 503
    error = "upstream_busy"


class QueueUnavailable(ApiError):
    """The work could not be enqueued, so it was not accepted; the client should retry."""

    status_code = 503
    error = "queue_unavailable"
    headers = {"Retry-After": "1"}  # noqa: RUF012 (read-only class constant)


class StoreUnavailable(ApiError):
    """The ratings table could not be read."""

    status_code = 503
    error = "store_unavailable"
    headers = {"Retry-After": "1"}  # noqa: RUF012 (read-only class constant)


class DeadlineExceeded(ApiError):
    """The request ran past its deadline."""

    status_code = 504
    error = "deadline_exceeded"


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

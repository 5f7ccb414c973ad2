"""OpenAPI declarations of the error responses a route can return."""

from typing import Any

from movies.models import ErrorBody

_DESCRIPTIONS = {
    404: "Not found",
    422: "Invalid path or query parameter",
    502: "The catalog failed or answered something that is not the expected JSON",
    503: "No catalog connection free in time",
    504: "The catalog or the request deadline timed out",
}

UPSTREAM = (502, 503, 504)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Declare each status code in `codes` with the shared error body."""
    return {code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]} for code in codes}

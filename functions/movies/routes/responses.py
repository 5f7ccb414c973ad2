"""OpenAPI declarations of the error responses a route can return."""

from typing import Any

from movies.models import ErrorBody

_DESCRIPTIONS = {
    404: "Not found",
    413: "The body is over 1 MiB",
    414: "The query string is over 4 KiB",
    415: "The body is not application/json",
    422: "Invalid path, query or body",
    502: "The catalog failed or answered something that is not the expected JSON",
    503: "A dependency is unavailable (catalog pool, task queue or table); retry",
    504: "The catalog or the request deadline timed out",
}

UPSTREAM = (502, 503, 504)
# What GuardMiddleware can answer on any route, and on any route that takes a body.
_ANY_ROUTE = (414, 504)
BODY = (413, 415)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Declare `codes`, plus the guard's statuses every route can return, with the error body."""
    return {
        code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]}
        for code in sorted({*codes, *_ANY_ROUTE})
    }

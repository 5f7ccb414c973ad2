"""The catalog's own errors, and one mapping per transport library (httpx, aiohttp, requests).

Every fetcher and the blocking client raise only these; the API decides which status each is.
Each mapping imports its library when it is first used (an error path), never at cold start.
"""

from collections.abc import Sequence

_TIMED_OUT = "catalog did not answer in time"
_UNREACHABLE = "could not reach the catalog"


class CatalogError(Exception):
    """The catalog could not give the answer asked for."""


class CatalogUnavailable(CatalogError):
    """The catalog failed: 5xx, refused or dropped connection."""


class CatalogBadResponse(CatalogUnavailable):
    """The catalog answered something that is not the expected JSON, or an unexpected status."""


class CatalogTimeout(CatalogError):
    """The catalog did not answer in time."""


class CatalogBusy(CatalogError):
    """Every pooled catalog connection stayed busy past the pool timeout."""


class MovieNotFound(CatalogError):
    """The catalog does not know the movie asked for."""


Rules = Sequence[tuple[type[BaseException], type[CatalogError], str]]


def from_httpx(exc: BaseException) -> CatalogError:
    """Map an httpx transport failure."""
    import httpx

    return _first_match(
        exc,
        (
            (httpx.PoolTimeout, CatalogBusy, "no free catalog connection in time"),
            (httpx.TimeoutException, CatalogTimeout, _TIMED_OUT),
            (httpx.ConnectError, CatalogUnavailable, _UNREACHABLE),
        ),
    )


def from_aiohttp(exc: BaseException) -> CatalogError:
    """Map an aiohttp failure (aiohttp.ClientError, or the TimeoutError aiohttp also raises)."""
    import aiohttp

    return _first_match(
        exc,
        (
            # aiohttp's own timeouts (connect, socket read) subclass TimeoutError too.
            (TimeoutError, CatalogTimeout, _TIMED_OUT),
            (aiohttp.ClientConnectorError, CatalogUnavailable, _UNREACHABLE),
        ),
    )


def from_requests(exc: BaseException) -> CatalogError:
    """Map a requests failure (the blocking baseline)."""
    import requests

    return _first_match(
        exc,
        (
            (requests.Timeout, CatalogTimeout, _TIMED_OUT),
            (requests.ConnectionError, CatalogUnavailable, _UNREACHABLE),
        ),
    )


def _first_match(exc: BaseException, rules: Rules) -> CatalogError:
    """The error of the first rule `exc` is an instance of; a broken connection otherwise."""
    for source, target, message in rules:
        if isinstance(exc, source):
            return target(message)
    return CatalogUnavailable("catalog connection failed")

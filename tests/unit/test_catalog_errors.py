"""Catalog answers and each transport library's failures map to the catalog's own errors.

What the app answers for each error: tests/functional/test_catalog_error_statuses.py.
"""

import aiohttp
import httpx
import pytest
import requests
from aiohttp.client_reqrep import ConnectionKey

from movies.catalog.errors import (
    CatalogBadResponse,
    CatalogBusy,
    CatalogError,
    CatalogTimeout,
    CatalogUnavailable,
    MovieNotFound,
    from_aiohttp,
    from_httpx,
    from_requests,
)
from movies.catalog.parsing import movie_query, parse_catalog_response
from movies.domain.models import Movie, MoviePage

MOVIE = b'{"id": 1, "title": "A", "year": 2001, "genres": ["Drama"], "rating": 7.1}'
REQUEST = httpx.Request("GET", "http://catalog.test/movies")
NO_KEY = ConnectionKey(*(None for _ in ConnectionKey._fields))


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ReadTimeout("t", request=REQUEST), CatalogTimeout),
        (httpx.ConnectTimeout("t", request=REQUEST), CatalogTimeout),
        (httpx.PoolTimeout("t", request=REQUEST), CatalogBusy),
        (httpx.ConnectError("refused", request=REQUEST), CatalogUnavailable),
        (httpx.RemoteProtocolError("dropped", request=REQUEST), CatalogUnavailable),
    ],
)
def test_httpx_errors(exc: httpx.HTTPError, expected: type[CatalogError]) -> None:
    assert type(from_httpx(exc)) is expected


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (aiohttp.ConnectionTimeoutError("t"), CatalogTimeout),
        (aiohttp.SocketTimeoutError("t"), CatalogTimeout),
        (aiohttp.ServerTimeoutError("t"), CatalogTimeout),
        (TimeoutError(), CatalogTimeout),
        (aiohttp.ClientConnectorError(NO_KEY, OSError(111, "refused")), CatalogUnavailable),
        (aiohttp.ServerDisconnectedError(), CatalogUnavailable),
        (aiohttp.ClientPayloadError("truncated"), CatalogUnavailable),
    ],
)
def test_aiohttp_errors(exc: Exception, expected: type[CatalogError]) -> None:
    assert type(from_aiohttp(exc)) is expected


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (requests.ReadTimeout("t"), CatalogTimeout),
        (requests.ConnectTimeout("t"), CatalogTimeout),
        (requests.ConnectionError("refused"), CatalogUnavailable),
        (requests.exceptions.ChunkedEncodingError("dropped"), CatalogUnavailable),
    ],
)
def test_requests_errors(exc: Exception, expected: type[CatalogError]) -> None:
    assert type(from_requests(exc)) is expected


def test_valid_answer_parses() -> None:
    assert parse_catalog_response(200, MOVIE, Movie).title == "A"


@pytest.mark.parametrize(
    ("status", "content", "expected"),
    [
        (500, b"oops", CatalogUnavailable),
        (503, MOVIE, CatalogUnavailable),
        (200, b"{not json", CatalogBadResponse),
        (200, b'{"unexpected": true}', CatalogBadResponse),
        (
            200,
            b'{"id": 1, "title": "A", "year": 2001, "genres": [], "rating": 11}',
            CatalogBadResponse,
        ),
        (302, b"", CatalogBadResponse),
        (404, b"{}", CatalogBadResponse),
    ],
)
def test_bad_answers(status: int, content: bytes, expected: type[CatalogError]) -> None:
    with pytest.raises(expected):
        parse_catalog_response(status, content, Movie)


def test_404_is_not_found_only_for_a_lookup() -> None:
    with pytest.raises(MovieNotFound):
        parse_catalog_response(404, b"{}", Movie, lookup=True)
    with pytest.raises(CatalogBadResponse):
        parse_catalog_response(404, b"{}", MoviePage)


def test_movie_query_omits_empty_genre() -> None:
    assert movie_query(None, 5, 10) == {"limit": 5, "offset": 10}
    assert movie_query("Drama", 5, 0) == {"limit": 5, "offset": 0, "genre": "Drama"}

"""Catalog answers and transport failures map to the API errors clients rely on."""

import httpx
import pytest
import requests

from movies.blocking import map_requests_error
from movies.errors import (
    ApiError,
    BadUpstreamResponse,
    NotFound,
    UpstreamBusy,
    UpstreamError,
    UpstreamTimeout,
    error_body,
)
from movies.models import Movie, MoviePage
from movies.upstream import map_transport_error, movie_query, parse_catalog_response

MOVIE = b'{"id": 1, "title": "A", "year": 2001, "genres": ["Drama"], "rating": 7.1}'
REQUEST = httpx.Request("GET", "http://catalog.test/movies")


@pytest.mark.parametrize(
    ("exc", "expected", "status"),
    [
        (httpx.ReadTimeout("t", request=REQUEST), UpstreamTimeout, 504),
        (httpx.ConnectTimeout("t", request=REQUEST), UpstreamTimeout, 504),
        (httpx.PoolTimeout("t", request=REQUEST), UpstreamBusy, 503),
        (httpx.ConnectError("refused", request=REQUEST), UpstreamError, 502),
        (httpx.RemoteProtocolError("dropped", request=REQUEST), UpstreamError, 502),
    ],
)
def test_transport_errors(exc: httpx.HTTPError, expected: type[ApiError], status: int) -> None:
    mapped = map_transport_error(exc)
    assert type(mapped) is expected
    assert mapped.status_code == status


@pytest.mark.parametrize(
    ("exc", "expected", "status"),
    [
        (requests.ReadTimeout("t"), UpstreamTimeout, 504),
        (requests.ConnectTimeout("t"), UpstreamTimeout, 504),
        (requests.ConnectionError("refused"), UpstreamError, 502),
        (requests.exceptions.ChunkedEncodingError("dropped"), UpstreamError, 502),
    ],
)
def test_requests_errors(exc: Exception, expected: type[ApiError], status: int) -> None:
    mapped = map_requests_error(exc)
    assert type(mapped) is expected
    assert mapped.status_code == status


def test_valid_answer_parses() -> None:
    assert parse_catalog_response(200, MOVIE, Movie).title == "A"


@pytest.mark.parametrize(
    ("status", "content", "expected"),
    [
        (500, b"oops", UpstreamError),
        (503, MOVIE, UpstreamError),
        (200, b"{not json", BadUpstreamResponse),
        (200, b'{"unexpected": true}', BadUpstreamResponse),
        (
            200,
            b'{"id": 1, "title": "A", "year": 2001, "genres": [], "rating": 11}',
            BadUpstreamResponse,
        ),
        (302, b"", BadUpstreamResponse),
        (404, b"{}", BadUpstreamResponse),
    ],
)
def test_bad_answers(status: int, content: bytes, expected: type[ApiError]) -> None:
    with pytest.raises(expected):
        parse_catalog_response(status, content, Movie)


def test_404_is_not_found_only_for_a_lookup() -> None:
    with pytest.raises(NotFound):
        parse_catalog_response(404, b"{}", Movie, lookup=True)
    with pytest.raises(BadUpstreamResponse):
        parse_catalog_response(404, b"{}", MoviePage)


def test_error_body_shape() -> None:
    assert error_body("x", "y", "r1") == b'{"error": "x", "detail": "y", "request_id": "r1"}'


def test_movie_query_omits_empty_genre() -> None:
    assert movie_query(None, 5, 10) == {"limit": 5, "offset": 10}
    assert movie_query("Drama", 5, 0) == {"limit": 5, "offset": 0, "genre": "Drama"}

"""Hand-written hostile input, in-process through httpx.ASGITransport.

Each answer is the JSON error shape (error, detail, request_id) with nosniff, and the limits hold
at their edges: a body of exactly 1 MiB and a query of exactly 4096 bytes pass the guard.
"""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.fuzz.apps import (
    MAX_BODY_BYTES,
    MAX_QUERY_BYTES,
    FuzzApp,
    assert_error_shape,
    assert_no_leak,
    build,
    client,
)
from tests.support.tokens import bearer

RATINGS = "/me/ratings"
JSON = {"content-type": "application/json"}


@pytest.fixture
def fuzz_app() -> FuzzApp:
    return build()


@pytest.fixture
async def api(fuzz_app: FuzzApp) -> AsyncIterator[httpx.AsyncClient]:
    async with client(fuzz_app.app) as api:
        yield api


def padded_rating(size: int) -> bytes:
    """A JSON rating body of exactly `size` bytes (an extra field makes it a 422, not a 202)."""
    head, tail = b'{"movie_id": 1, "stars": 4.5, "pad": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def bad(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert_no_leak(response)
    return assert_error_shape(response)


# --- body size --------------------------------------------------------------------------------


async def test_body_over_1_mib_is_413(api: httpx.AsyncClient, fuzz_app: FuzzApp) -> None:
    body = padded_rating(MAX_BODY_BYTES + 1)
    bad(await api.post(RATINGS, content=body, headers=JSON), 413)
    assert fuzz_app.queue.sent == []


async def test_body_over_1_mib_without_content_length_is_413(
    api: httpx.AsyncClient, fuzz_app: FuzzApp
) -> None:
    def chunks() -> Iterator[bytes]:  # streamed: no Content-Length to refuse it by
        body = padded_rating(4 * MAX_BODY_BYTES)
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks():
            yield chunk

    bad(await api.post(RATINGS, content=stream(), headers=JSON), 413)
    assert fuzz_app.queue.sent == []


async def test_a_lying_content_length_is_refused_too(api: httpx.AsyncClient) -> None:
    headers = {**JSON, "content-length": str(MAX_BODY_BYTES + 1)}
    response = await api.post(RATINGS, content=b'{"movie_id": 1, "stars": 4.5}', headers=headers)
    bad(response, 413)


async def test_body_of_exactly_1_mib_passes_the_limit(api: httpx.AsyncClient) -> None:
    body = bad(await api.post(RATINGS, content=padded_rating(MAX_BODY_BYTES), headers=JSON), 422)
    assert body["error"] == "validation_error"  # read and validated, not refused for its size


# --- body content -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"movie_id": 1, "stars": 4.5',
        b"not json",
        b"",
        b"\xff\xfe\x00garbage",
        b'{"movie_id": 1, "stars": 4.5, "note": "\xe9"}',  # Latin-1, not UTF-8
        b"m\xc3\x28\xa0\xa1n",
        b'{"movie_id": 1, "stars": NaN}',
        b'{"movie_id": 1e400, "stars": 4.5}',
        b'{"movie_id": "1\\u0000", "stars": 4.5}',
        b"[" * 5000 + b"]" * 5000,
        b'{"movie_id": 1, "stars": 4.5, "movie_id": 2, "extra": true}',
        b'{"movie_id": 99999999999999999999999999, "stars": 4.5}',
        b'{"movie_id": 1, "stars": 4.25}',
        b'{"movie_id": 1, "stars": -0.5}',
        b"null",
    ],
    ids=lambda body: body[:24].decode("latin-1"),
)
async def test_invalid_json_is_422(api: httpx.AsyncClient, fuzz_app: FuzzApp, body: bytes) -> None:
    assert bad(await api.post(RATINGS, content=body, headers=JSON), 422)["error"] == (
        "validation_error"
    )
    assert fuzz_app.queue.sent == []


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/jsonx",
        "text/json",
    ],
)
async def test_wrong_content_type_is_415(
    api: httpx.AsyncClient, fuzz_app: FuzzApp, content_type: str
) -> None:
    body = b'{"movie_id": 1, "stars": 4.5}'
    bad(await api.post(RATINGS, content=body, headers={"content-type": content_type}), 415)
    assert fuzz_app.queue.sent == []


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
async def test_json_content_types_are_accepted(api: httpx.AsyncClient, content_type: str) -> None:
    body = b'{"movie_id": 1, "stars": 4.5}'
    response = await api.post(RATINGS, content=body, headers={"content-type": content_type})
    assert response.status_code == 202, response.text
    assert response.headers["x-content-type-options"] == "nosniff"


# --- query string -----------------------------------------------------------------------------


def query_of(size: int) -> str:
    """A query string of exactly `size` bytes: a valid limit and an ignored pad."""
    head = "limit=5&pad="
    return head + "x" * (size - len(head))


@pytest.mark.parametrize("path", ["/movies", "/health", "/me/recommendations", RATINGS])
async def test_query_over_4096_bytes_is_414(api: httpx.AsyncClient, path: str) -> None:
    bad(await api.get(f"{path}?{query_of(MAX_QUERY_BYTES + 1)}"), 414)


async def test_huge_query_is_414(api: httpx.AsyncClient, fuzz_app: FuzzApp) -> None:
    bad(await api.get(f"/movies?{query_of(60_000)}"), 414)  # httpx caps URLs at 64 KiB
    assert fuzz_app.catalog.calls == []


async def test_query_of_exactly_4096_bytes_passes_the_limit(api: httpx.AsyncClient) -> None:
    response = await api.get(f"/movies?{query_of(MAX_QUERY_BYTES)}")
    assert response.status_code == 200, response.text


# --- path parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/movies/a%0D%0AX-Injected:%201",  # CRLF header injection attempt
        "/movies/%FF%FE",  # not UTF-8
        "/movies/%E2%91%A0",  # a circled digit one: a digit to Unicode, not to int()
        "/movies/%D9%A1",  # an Arabic-Indic one
        "/movies/1%00",
        "/movies/-1",
        "/movies/0",
        "/movies/1e3",
        "/movies/99999999999999999999",
        "/movies/2147483648",
        "/movies/0x10",
    ],
)
async def test_hostile_path_params_are_422(api: httpx.AsyncClient, path: str) -> None:
    response = await api.get(path)
    body = bad(response, 422)
    assert body["error"] == "validation_error"
    assert "X-Injected" not in response.headers


@pytest.mark.parametrize(
    "path", ["/movies/1/2", "/movies/1%2F2", "/users/alice", "/nope", "/recommendations/"]
)
async def test_paths_that_match_no_route_are_404(api: httpx.AsyncClient, path: str) -> None:
    assert bad(await api.get(path), 404)["error"] == "not_found"


@pytest.mark.parametrize(
    ("sub", "usable"),
    [
        ("\u00e9l\u00e8ve", True),  # élève: any printable subject is a user id
        ("a" * 128, True),
        ("a" * 129, False),  # longer than the message contract takes
        ("a\x00b", False),  # NUL
        ("a\r\nX-Injected: 1", False),  # CRLF
        ("", False),
    ],
)
async def test_a_signed_but_unusable_subject_is_401_and_nothing_is_queued(
    api: httpx.AsyncClient, fuzz_app: FuzzApp, sub: str, usable: bool
) -> None:
    response = await api.post(RATINGS, json={"movie_id": 1, "stars": 4.5}, headers=bearer(sub))
    if usable:
        assert response.status_code == 202, response.text
        assert [message.user_id for message, _ in fuzz_app.queue.sent] == [sub]
    else:
        assert bad(response, 401)["error"] == "unauthorized"
        assert fuzz_app.queue.sent == []
        assert "X-Injected" not in response.headers


# --- paging -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/movies", "/blocking-movies"])
@pytest.mark.parametrize(
    "query",
    [
        "limit=-1",
        "limit=0",
        "limit=101",
        "limit=" + "9" * 40,
        "limit=-" + "9" * 40,
        "limit=1.5",
        "limit=1e3",
        "limit=NaN",
        "limit=inf",
        "limit=abc",
        "limit=",
        "limit=%00",
        "limit=%EF%BC%95",  # a fullwidth digit five
        "offset=-1",
        "offset=100001",
        "offset=" + "9" * 40,
        "genre=" + "a" * 41,
        "genre=%00",
        "genre=Drama%0A",
    ],
)
async def test_absurd_paging_is_422(
    api: httpx.AsyncClient, fuzz_app: FuzzApp, path: str, query: str
) -> None:
    assert bad(await api.get(f"{path}?{query}"), 422)["error"] == "validation_error"
    assert fuzz_app.catalog.calls == []


@pytest.mark.parametrize(
    "path",
    [
        "/me/recommendations?limit=51",
        "/me/recommendations?limit=-3",
        "/movies/trending?limit=101",
    ],
)
async def test_absurd_limits_elsewhere_are_422(api: httpx.AsyncClient, path: str) -> None:
    assert bad(await api.get(path), 422)["error"] == "validation_error"

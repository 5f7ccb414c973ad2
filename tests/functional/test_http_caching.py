"""Public answers carry Cache-Control, a strong ETag per representation and Vary, and a matching
If-None-Match gets a bodiless 304; personal answers and every error are no-store. Each test runs
the four ways of tests/functional/conftest.py (ASGI, and the Lambda handler three ways)."""

import gzip
import re

import httpx
import pytest
from fastapi import FastAPI

from movies.settings import Settings
from tests.support.apps import CATALOG_URL, behind_test_gateway
from tests.support.fake_catalog import FakeCatalog, decode
from tests.support.fakes import InMemoryRatingStore
from tests.support.tokens import bearer

# Not the defaults: the header must come from the settings.
MAX_AGE_S, STALE_S = 42, 99
PUBLIC_CACHE_CONTROL = f"public, max-age={MAX_AGE_S}, stale-while-revalidate={STALE_S}"
PUBLIC = ["/movies?genre=Comedy&limit=2", "/movies/1", "/movies/trending?limit=5"]
IDENTITY = {"accept-encoding": "identity"}
GZIP = {"accept-encoding": "gzip"}
# Trending of 100 movies is about 3 KB of JSON: over the 1 KiB from which answers are gzipped.
LARGE = "/movies/trending?limit=100"


@pytest.fixture
def settings() -> Settings:
    return Settings(
        catalog_url=CATALOG_URL,
        request_deadline_s=1.0,
        public_max_age_s=MAX_AGE_S,
        public_stale_while_revalidate_s=STALE_S,
    )


@pytest.fixture
def ratings() -> InMemoryRatingStore:
    store = InMemoryRatingStore()
    store.impressions = {movie: 1000 + movie for movie in range(1, 101)}
    return store


def _strong(tag: str) -> str:
    """`tag`, once it is checked to be a strong entity tag: quoted, no W/ prefix."""
    assert re.fullmatch(r'"[^"]+"', tag), tag
    return tag


async def _get(api: httpx.AsyncClient, path: str, **headers: str) -> httpx.Response:
    return await api.get(path, headers={**IDENTITY, **headers})


@pytest.mark.parametrize("path", PUBLIC)
async def test_public_answers_carry_cache_control_a_strong_etag_and_vary(
    api: httpx.AsyncClient, path: str
) -> None:
    response = await _get(api, path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == PUBLIC_CACHE_CONTROL
    assert response.headers["vary"].lower() == "accept-encoding"
    # The same answer gets the same tag: any environment can validate what another served.
    assert _strong(response.headers["etag"]) == (await _get(api, path)).headers["etag"]


async def test_other_content_gets_another_tag(api: httpx.AsyncClient) -> None:
    comedy = await _get(api, "/movies?genre=Comedy")
    drama = await _get(api, "/movies?genre=Drama")
    assert decode(comedy) != decode(drama)
    assert comedy.headers["etag"] != drama.headers["etag"]


@pytest.mark.parametrize("path", PUBLIC)
async def test_a_matching_if_none_match_gets_304_without_a_body(
    api: httpx.AsyncClient, path: str
) -> None:
    tag = (await _get(api, path)).headers["etag"]
    response = await _get(api, path, **{"if-none-match": tag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == tag
    assert response.headers["cache-control"] == PUBLIC_CACHE_CONTROL
    assert response.headers["vary"].lower() == "accept-encoding"


@pytest.mark.parametrize(
    "field",
    [
        "*",
        '"other", {tag}',  # a list: one member is enough
        "W/{tag}",  # weak comparison: the W/ prefix does not matter
        '"a,b", W/"c" , {tag}',  # a comma inside a tag is part of it
    ],
)
async def test_if_none_match_is_read_as_rfc_9110_says(api: httpx.AsyncClient, field: str) -> None:
    tag = (await _get(api, "/movies/1")).headers["etag"]
    response = await _get(api, "/movies/1", **{"if-none-match": field.format(tag=tag)})
    assert response.status_code == 304


@pytest.mark.parametrize("field", ['"stale"', "w/{tag}", "{bare}", ""])
async def test_an_if_none_match_naming_nothing_current_gets_the_answer(
    api: httpx.AsyncClient, field: str
) -> None:
    first = await _get(api, "/movies/1")
    tag = first.headers["etag"]
    # w/ is not the weak prefix (it is case-sensitive); an unquoted tag is no tag.
    value = field.format(tag=tag, bare=tag.strip('"'))
    response = await _get(api, "/movies/1", **{"if-none-match": value})
    assert (response.status_code, response.content) == (200, first.content)


async def test_the_gzip_representation_has_its_own_strong_tag(api: httpx.AsyncClient) -> None:
    plain = await _get(api, LARGE)
    zipped = await api.get(LARGE, headers=GZIP)
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert decode(zipped) == decode(plain)  # httpx decodes the gzip body
    assert _strong(zipped.headers["etag"]) != _strong(plain.headers["etag"])
    assert zipped.headers["cache-control"] == PUBLIC_CACHE_CONTROL
    assert zipped.headers["vary"].lower() == "accept-encoding"


async def test_each_representation_validates_only_itself(api: httpx.AsyncClient) -> None:
    plain_tag = (await _get(api, LARGE)).headers["etag"]
    zipped_tag = (await api.get(LARGE, headers=GZIP)).headers["etag"]
    again = await api.get(LARGE, headers={**GZIP, "if-none-match": zipped_tag})
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == zipped_tag
    # A client holding the other representation is sent the one it asked for.
    switched = await api.get(LARGE, headers={**GZIP, "if-none-match": plain_tag})
    assert (switched.status_code, switched.headers["etag"]) == (200, zipped_tag)
    back = await _get(api, LARGE, **{"if-none-match": zipped_tag})
    assert (back.status_code, back.headers["etag"]) == (200, plain_tag)


async def test_the_gzip_body_is_one_member_that_decodes_to_the_identity_body(app: FastAPI) -> None:
    # The transport alone, below httpx's decoding: the bytes as they go over the wire.
    transport = httpx.ASGITransport(app=behind_test_gateway(app))

    async def fetch(headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        response = await transport.handle_async_request(
            httpx.Request("GET", f"http://api.test{LARGE}", headers=headers)
        )
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return response, b"".join([chunk async for chunk in response.stream])

    _, plain = await fetch(IDENTITY)
    zipped, raw = await fetch(GZIP)
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) == len(raw)
    assert gzip.decompress(raw) == plain


@pytest.mark.parametrize(
    ("path", "status"),
    [("/movies/99999", 404), ("/movies?limit=0", 422), ("/movies/trending?limit=0", 422)],
)
async def test_errors_of_public_routes_are_no_store_and_never_304(
    api: httpx.AsyncClient, path: str, status: int
) -> None:
    response = await _get(api, path, **{"if-none-match": "*"})
    assert response.status_code == status
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_an_error_the_edge_answers_itself_is_no_store(api: httpx.AsyncClient) -> None:
    response = await _get(api, "/movies/1?pad=" + "x" * 4096)
    assert response.status_code == 414
    assert response.headers["cache-control"] == "no-store"


async def test_an_upstream_failure_is_no_store(
    api: httpx.AsyncClient, fake_catalog: FakeCatalog
) -> None:
    fake_catalog.fault = "5xx"
    response = await _get(api, "/movies")
    assert response.status_code == 502
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/me/ratings", 200),
        ("/me/recommendations?limit=2", 200),
        ("/me/ratings?limit=0", 422),
        ("/me/recommendations?limit=0", 422),
    ],
)
async def test_personal_answers_are_no_store_whatever_they_are(
    api: httpx.AsyncClient, path: str, status: int
) -> None:
    response = await _get(api, path, **bearer("ana"), **{"if-none-match": "*"})
    assert response.status_code == status
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


@pytest.mark.parametrize("path", ["/health", "/blocking-movies?limit=2"])
async def test_other_answers_are_not_made_public(api: httpx.AsyncClient, path: str) -> None:
    response = await _get(api, path, **{"if-none-match": "*"})
    assert response.status_code == 200
    assert "cache-control" not in response.headers
    assert "etag" not in response.headers

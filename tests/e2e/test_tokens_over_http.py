"""Identity end to end, on every target: the local uvicorn stack, the Lambda path behind the API
Gateway stand-in, or a deployed stack (BASE_URL, API_TOKEN, API_TOKEN_OTHER, ISSUER_URL)."""

import asyncio
import time
import uuid

import httpx
import pytest

from infra.issuer.app import request_token
from tests.support.stacks import Stack
from tests.support.tokens import KEY, token_table

PERSONAL = [("POST", "/me/ratings"), ("GET", "/me/ratings"), ("GET", "/me/recommendations")]
STORE_WAIT_S = 10


async def test_every_bad_token_is_401_on_every_personal_route_and_nothing_is_stored(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    victim = f"e2e-{uuid.uuid4().hex[:8]}"
    table = token_table(KEY, sub=victim, issuer=stack.issuer_url or "")
    for name, header in table.items():
        if name == "valid":
            continue
        for method, path in PERSONAL:
            headers = {"authorization": header} if header is not None else {}
            body = {"movie_id": 7, "stars": 4.5} if method == "POST" else None
            response = await api.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (name, path, response.text)
            assert response.headers["www-authenticate"].startswith("Bearer"), name
    if stack.local is not None:  # a deployed issuer's valid token for the victim is not ours
        await asyncio.sleep(1.0)  # the worker would have stored anything queued by now
        stored = await api.get("/me/ratings", headers={"authorization": table["valid"] or ""})
        assert stored.json() == {"user_id": victim, "ratings": [], "next_cursor": None}


async def test_a_valid_token_reads_and_writes_only_its_own_ratings(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    alice, bob = stack.auth("alice"), stack.auth("bob")
    movie = 100 + uuid.uuid4().int % 400
    bobs_before = (await api.get("/me/ratings", params={"limit": 100}, headers=bob)).json()
    posted = await api.post("/me/ratings", json={"movie_id": movie, "stars": 5}, headers=alice)
    assert posted.status_code == 202, posted.text
    deadline = time.monotonic() + STORE_WAIT_S
    mine: dict[str, object] = {}
    while time.monotonic() < deadline:
        mine = (await api.get("/me/ratings", params={"limit": 100}, headers=alice)).json()
        if any(item["movie_id"] == movie for item in mine["ratings"]):  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.2)
    else:
        pytest.fail(f"alice's rating of {movie} was not stored within {STORE_WAIT_S} s")
    bobs_after = (await api.get("/me/ratings", params={"limit": 100}, headers=bob)).json()
    assert bobs_after == bobs_before  # alice's write never reached bob
    assert bobs_after["user_id"] != mine["user_id"]
    for path in ("/users/alice/ratings", "/recommendations/alice"):
        response = await api.get(path, headers=bob)
        assert not 200 <= response.status_code < 300, path


@pytest.mark.parametrize(("method", "path"), PERSONAL)
async def test_personal_answers_are_never_cached(
    stack: Stack, api: httpx.AsyncClient, method: str, path: str
) -> None:
    body = {"movie_id": 12, "stars": 3} if method == "POST" else None
    response = await api.request(method, path, json=body, headers=stack.auth("alice"))
    assert response.status_code in (200, 202), response.text
    assert response.headers["cache-control"] == "no-store"


async def test_a_token_from_the_issuer_without_the_scope_is_403_and_nothing_is_stored(
    stack: Stack, api: httpx.AsyncClient
) -> None:
    if stack.local is None:
        pytest.skip("a deployed issuer's tokens carry what that issuer grants, not what we ask")
    user = f"e2e-{uuid.uuid4().hex[:8]}"
    issuer = stack.local.issuer_url
    id_like = {"authorization": f"Bearer {request_token(issuer, user, scope='')}"}
    reader = {"authorization": f"Bearer {request_token(issuer, user, scope='movies/me.read')}"}
    for headers in (id_like, reader):
        response = await api.post("/me/ratings", json={"movie_id": 7, "stars": 4}, headers=headers)
        assert response.status_code == 403, response.text
        assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert (await api.get("/me/ratings", headers=id_like)).status_code == 403
    await asyncio.sleep(1.0)  # the worker would have stored anything queued by now
    stored = await api.get("/me/ratings", headers=reader)
    assert stored.json() == {"user_id": user, "ratings": [], "next_cursor": None}

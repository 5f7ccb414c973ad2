"""The development issuer hands out what the README's curls need: by default a token with every
scope the template's routes name; on request, exactly the scopes asked for (none: an ID token)."""

from collections.abc import AsyncIterator

import httpx
import jwt
import pytest

from infra.issuer.__main__ import main
from infra.issuer.app import create_app
from tests.support.tokens import API_SCOPES, KEY

ISSUER = "http://issuer.test"


@pytest.fixture
async def issuer() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(ISSUER, KEY, scope=API_SCOPES)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER) as client:
        yield client


async def _scope(issuer: httpx.AsyncClient, **body: object) -> str | None:
    response = await issuer.post("/token", json={"sub": "ana", **body})
    assert response.status_code == 200, response.text
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    scope: str | None = claims.get("scope")
    return scope


async def test_a_plain_request_gets_the_apis_scopes(issuer: httpx.AsyncClient) -> None:
    assert await _scope(issuer) == API_SCOPES
    assert set(API_SCOPES.split()) == {"movies/me.read", "movies/me.write"}


@pytest.mark.parametrize("asked", ["movies/me.read", "openid profile", "admin:everything"])
async def test_any_scope_asked_for_is_granted_as_asked(
    issuer: httpx.AsyncClient, asked: str
) -> None:
    assert await _scope(issuer, scope=asked) == asked


async def test_an_empty_scope_gives_a_token_without_scopes(issuer: httpx.AsyncClient) -> None:
    assert await _scope(issuer, scope="") is None


def test_the_served_issuer_defaults_to_the_templates_scopes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served: dict[str, object] = {}
    monkeypatch.setattr("infra.issuer.__main__.create_app", lambda *a, **kw: served.update(kw))
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: None)
    main(["--port", "0"])
    assert served["scope"] == API_SCOPES

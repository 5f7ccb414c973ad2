"""Scopes, as API Gateway checks them before the function runs: a personal route needs one of the
scopes template.yaml gives it, so a token without it (an ID token has none) is a 403 and nothing
is queued, on the uvicorn gateway and on the Lambda path alike."""

import httpx
import pytest

from infra.gateway.routes import route_for
from movies.domain.messages import RatingSubmitted
from tests.support.apps import ROUTES
from tests.support.fakes import InMemoryTaskQueue
from tests.support.tokens import bearer

READ = route_for(ROUTES, "GET", "/me/ratings")
WRITE = route_for(ROUTES, "POST", "/me/ratings")
assert READ is not None
assert WRITE is not None
READ_SCOPE, WRITE_SCOPE = READ.scopes[0], WRITE.scopes[0]
RATING = {"movie_id": 3, "stars": 4}


def test_reads_and_writes_need_different_scopes() -> None:
    recommendations = route_for(ROUTES, "GET", "/me/recommendations")
    assert recommendations is not None
    assert READ.scopes == recommendations.scopes == (READ_SCOPE,)
    assert WRITE.scopes == (WRITE_SCOPE,)
    assert READ_SCOPE != WRITE_SCOPE


@pytest.mark.parametrize(
    ("name", "mint"),
    [
        # What an ID token looks like to API Gateway: valid, signed, and without any scope.
        ("ID token", {"scope": "", "extra": {"token_use": "id"}}),
        ("OpenID scopes only", {"scope": "openid email profile"}),
        ("Cognito's SDK sign-in scope", {"scope": "aws.cognito.signin.user.admin"}),
        ("read scope only", {"scope": READ_SCOPE}),
        ("a scope's prefix", {"scope": WRITE_SCOPE[:-1]}),
    ],
)
async def test_a_valid_token_without_the_write_scope_cannot_rate(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue, name: str, mint: dict[str, object]
) -> None:
    response = await api.post("/me/ratings", json=RATING, headers=bearer("ana", **mint))
    assert response.status_code == 403, name
    assert response.headers["content-type"].startswith("application/json")
    challenge = response.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert f'scope="{WRITE_SCOPE}"' in challenge
    assert queue.sent == []


async def test_each_scope_opens_its_own_routes(
    api: httpx.AsyncClient, queue: InMemoryTaskQueue
) -> None:
    reader, writer = bearer("ana", scope=READ_SCOPE), bearer("ana", scope=WRITE_SCOPE)
    assert (await api.get("/me/ratings", headers=reader)).status_code == 200
    assert (await api.get("/me/recommendations", headers=reader)).status_code == 200
    assert (await api.get("/me/ratings", headers=writer)).status_code == 403
    assert (await api.post("/me/ratings", json=RATING, headers=writer)).status_code == 202
    assert [type(m) for m, _ in queue.sent if isinstance(m, RatingSubmitted)] == [RatingSubmitted]
    # Scopes are a space-separated list: any one of the route's is enough.
    both = bearer("ana", scope=f"openid {READ_SCOPE} {WRITE_SCOPE}")
    assert (await api.post("/me/ratings", json=RATING, headers=both)).status_code == 202


async def test_a_bad_token_is_still_401_whatever_its_scopes(api: httpx.AsyncClient) -> None:
    expired = bearer("ana", scope=WRITE_SCOPE, expires_in=-60)
    response = await api.post("/me/ratings", json=RATING, headers=expired)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_public_routes_need_no_scope(api: httpx.AsyncClient) -> None:
    response = await api.get("/movies/trending", headers=bearer("ana", scope=""))
    assert response.status_code == 200

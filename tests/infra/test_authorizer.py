"""The local JWT authorizer applies API Gateway's checks: only a valid token passes."""

import time

import pytest

from infra.auth.authorizer import Denied, JwtAuthorizer
from infra.auth.keys import SigningKey
from tests.support.tokens import AUDIENCE, ISSUER, token_table

KEY = SigningKey()
TABLE = token_table(KEY)
AUTHORIZER = JwtAuthorizer(ISSUER, [AUDIENCE], KEY.jwks)


def test_a_valid_token_passes_with_its_claims_as_api_gateway_passes_them() -> None:
    grant = AUTHORIZER.authorize(TABLE["valid"])
    assert grant.claims["sub"] == "alice"
    assert grant.claims["iss"] == ISSUER
    assert int(grant.claims["exp"]) > time.time()  # strings, as API Gateway passes them
    assert all(isinstance(value, str) for value in grant.claims.values())


def test_bearer_prefix_is_optional_as_on_api_gateway() -> None:
    raw = (TABLE["valid"] or "").removeprefix("Bearer ")
    assert AUTHORIZER.authorize(raw).claims["sub"] == "alice"


@pytest.mark.parametrize("name", [name for name in TABLE if name != "valid"])
def test_every_bad_token_is_denied(name: str) -> None:
    with pytest.raises(Denied):
        AUTHORIZER.authorize(TABLE[name])


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("missing header", "no token"),
        ("expired", "expired"),
        ("wrong iss", "issuer"),
        ("wrong aud", "audience"),
        ("unknown kid", "kid"),
        ("alg none", "algorithm"),
        ("HS256 with the public key", "algorithm"),
        ("payload edited after signing", "signature"),
    ],
)
def test_the_reason_names_the_failed_check(name: str, reason: str) -> None:
    with pytest.raises(Denied, match=reason):
        AUTHORIZER.authorize(TABLE[name])


def test_client_id_stands_in_for_a_missing_aud() -> None:
    token = KEY.mint(ISSUER, "alice", audience=None, extra={"client_id": AUDIENCE})
    assert AUTHORIZER.authorize(token).claims["client_id"] == AUDIENCE
    wrong = KEY.mint(ISSUER, "alice", audience=None, extra={"client_id": "other"})
    with pytest.raises(Denied, match="audience"):
        AUTHORIZER.authorize(wrong)


def test_a_route_scope_needs_one_of_its_scopes_in_the_token() -> None:
    token = KEY.mint(ISSUER, "alice", scope="movies/read movies/write")
    assert AUTHORIZER.authorize(token, ["movies/write"]).scopes == ["movies/read", "movies/write"]
    with pytest.raises(Denied, match="scope"):
        AUTHORIZER.authorize(token, ["movies/admin"])

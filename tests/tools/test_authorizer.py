"""The local JWT authorizer applies API Gateway's checks: only a valid token passes."""

import time

import pytest

from infra.gateway.authorizer import Denied, MissingScope
from infra.gateway.jwks import IssuerKeys
from tests.support.tokens import AUDIENCE, AUTHORIZER, ISSUER, KEY, token_table

TABLE = token_table(KEY)


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
    with pytest.raises(MissingScope, match="movies/admin") as refused:
        AUTHORIZER.authorize(token, ["movies/admin"])
    assert refused.value.status == 403  # a valid token, short of a scope: Forbidden
    # The signature and claims come first: a bad token is 401 whatever scope it lacks.
    with pytest.raises(Denied) as bad:
        AUTHORIZER.authorize(TABLE["expired"], ["movies/admin"])
    assert bad.value.status == 401


def test_issuer_keys_are_read_once_and_again_only_for_a_new_kid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[str] = []
    answers = {"http://issuer.test/.well-known/openid-configuration": {"jwks_uri": "http://j"}}

    def get(_self: IssuerKeys, url: str) -> object:
        reads.append(url)
        return answers.get(url, KEY.jwks())

    now = [1000.0]
    monkeypatch.setattr(IssuerKeys, "_get", get)
    monkeypatch.setattr("infra.gateway.jwks.time.monotonic", lambda: now[0])
    keys = IssuerKeys("http://issuer.test")
    for _ in range(50):
        now[0] += 60  # however long it runs: a held kid never re-reads
        assert keys(KEY.kid) == KEY.jwks()
    assert len(reads) == 2  # discovery and JWKS, once for 50 tokens
    keys("rotated")  # a kid the cache lacks: one re-read ...
    keys("rotated")  # ... and none more within the 5 s window
    assert len(reads) == 4
    now[0] += 1
    keys("rotated")
    assert len(reads) == 4

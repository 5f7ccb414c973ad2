"""API Gateway's JWT authorizer checks, in its documented order, for the local stacks.

HTTP API JWT authorizers (docs: "Control access to HTTP APIs with JWT authorizers"): take the
token from the Authorization header, with or without "Bearer "; decode it; check its algorithm
(RSA only) and signature with the issuer's key named by `kid`; then `iss`, `aud` (or
`client_id` when there is no `aud`), `exp`, `nbf`, `iat`, and the route's scopes (at least one).
Under uvicorn the local gateway middleware runs this; under `make run-lambda` the API Gateway
stand-in does, and puts the claims into the event as API Gateway does. The Lambda artifact
never verifies a token: on AWS, API Gateway already has.
"""

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm

RSA_ALGORITHMS = frozenset({"RS256", "RS384", "RS512"})
# The issuer's key set, given the kid a token names (a cache may re-read the set for a new one).
JwksSource = Callable[[str], Mapping[str, Any]]


class Denied(Exception):
    """The token does not authorize the request; the message says why, as API Gateway's does."""

    status = 401


class MissingScope(Denied):
    """A valid token that carries none of the route's scopes: API Gateway answers 403.

    An ID token has no scope claim, so a route that declares scopes refuses it here.
    """

    status = 403

    def __init__(self, required: Sequence[str]) -> None:
        super().__init__(f"the token does not have the required scope: {' '.join(required)}")
        self.required = tuple(required)


@dataclass(frozen=True, slots=True)
class Grant:
    """A verified token: its claims as API Gateway passes them (strings), and its scopes."""

    claims: dict[str, str]
    scopes: list[str] | None


@dataclass(frozen=True, slots=True)
class JwtAuthorizer:
    """One authorizer: an issuer, the audiences it accepts, and where its keys come from."""

    issuer: str
    audiences: Sequence[str]
    jwks: JwksSource

    def authorize(self, authorization: str | None, scopes: Sequence[str] = ()) -> Grant:
        """Check the Authorization header's token; raise Denied with the reason if it fails."""
        token = _token(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise Denied("the token is not a valid JWT") from exc
        key = self._key(header.get("kid"))
        algorithm = header.get("alg")
        if algorithm not in RSA_ALGORITHMS:
            raise Denied(f"the token's algorithm {algorithm!r} is not supported")
        try:
            # Only the signature here: the claims are checked below, in API Gateway's order.
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                options={
                    "verify_signature": True,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                    "verify_iss": False,
                },
            )
        except jwt.InvalidTokenError as exc:
            raise Denied("the token's signature is invalid") from exc
        self._check_claims(claims, scopes)
        granted = _scopes(claims)
        return Grant({name: _as_text(value) for name, value in claims.items()}, granted or None)

    def _key(self, kid: object) -> Any:
        if not isinstance(kid, str) or not kid:
            raise Denied("the token has no kid")
        for jwk in self.jwks(kid).get("keys", []):
            if jwk.get("kid") == kid and jwk.get("kty") == "RSA":
                return RSAAlgorithm.from_jwk(jwk)
        raise Denied("the token's kid names no key of the issuer")

    def _check_claims(self, claims: Mapping[str, Any], scopes: Sequence[str]) -> None:
        if claims.get("iss") != self.issuer:
            raise Denied("the token does not have a valid issuer")
        audience = claims["aud"] if "aud" in claims else claims.get("client_id")
        audiences = audience if isinstance(audience, list) else [audience]
        if not any(isinstance(a, str) and a in self.audiences for a in audiences):
            raise Denied("the token does not have a valid audience")
        now = time.time()
        if not _number(claims.get("exp")) or claims["exp"] <= now:
            raise Denied("the token has expired")
        if "nbf" in claims and (not _number(claims["nbf"]) or claims["nbf"] > now):
            raise Denied("the token is not valid yet")
        if "iat" in claims and (not _number(claims["iat"]) or claims["iat"] > now):
            raise Denied("the token was issued in the future")
        if scopes and not set(scopes) & set(_scopes(claims)):
            raise MissingScope(scopes)


def _token(authorization: str | None) -> str:
    if not authorization or not authorization.strip():
        raise Denied("the request has no token")
    value = authorization.strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value


def _scopes(claims: Mapping[str, Any]) -> list[str]:
    scope = claims.get("scope", claims.get("scp", ""))
    return scope.split() if isinstance(scope, str) else [s for s in scope if isinstance(s, str)]


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_text(value: object) -> str:
    """API Gateway passes every claim as a string; lists as "[a b]"."""
    if isinstance(value, list):
        return "[" + " ".join(str(v) for v in value) + "]"
    return value if isinstance(value, str) else str(value)

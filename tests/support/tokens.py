"""Tokens for the authorizer tests: one valid, and one of each way a token can be wrong."""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from cryptography.hazmat.primitives import serialization

from infra.gateway.authorizer import JwtAuthorizer
from infra.gateway.routes import api_scopes, routes_of
from infra.issuer.keys import SigningKey
from infra.local.audience import DEFAULT_AUDIENCE
from infra.local.template import load_template

ISSUER = "https://issuer.test"
AUDIENCE = DEFAULT_AUDIENCE
# One key for the whole test session: RSA key generation is the slow part.
KEY = SigningKey()
AUTHORIZER = JwtAuthorizer(ISSUER, [AUDIENCE], lambda _kid: KEY.jwks())
# What the development issuer grants by default: every scope the template's routes name.
API_SCOPES = api_scopes(routes_of(load_template()))


def access_token(key: SigningKey, issuer: str, sub: str, **mint: Any) -> str:
    """An access token for `sub` with the API's scopes, unless `mint` names others."""
    return key.mint(issuer, sub, **{"scope": API_SCOPES, **mint})


def bearer(sub: str, **mint: Any) -> dict[str, str]:
    """The Authorization header of a valid access token for `sub` from the test issuer."""
    return {"authorization": f"Bearer {access_token(KEY, ISSUER, sub, **mint)}"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def _claims(sub: str, issuer: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": issuer, "sub": sub, "aud": AUDIENCE, "iat": now, "nbf": now, "exp": now + 600}
    return {**claims, **changes}


def token_table(key: SigningKey, sub: str = "alice", issuer: str = ISSUER) -> dict[str, str | None]:
    """name -> Authorization header value (None: no header). Only "valid" may pass."""
    other = SigningKey(kid=key.kid)  # same kid, another key
    now = int(time.time())
    valid = access_token(key, issuer, sub, audience=AUDIENCE)
    header, payload, signature = valid.split(".")
    edited = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    edited["sub"] = "mallory"
    public_pem = key.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs_input = _unsigned({"alg": "HS256", "typ": "JWT", "kid": key.kid}, _claims(sub, issuer))
    hs_signature = hmac.new(public_pem, hs_input.encode(), hashlib.sha256).digest()
    return {
        "valid": f"Bearer {valid}",
        "missing header": None,
        "not a JWT": "Bearer not-a-jwt",
        "expired": f"Bearer {key.mint(issuer, sub, expires_in=-60)}",
        "nbf in the future": f"Bearer {key.mint(issuer, sub, extra={'nbf': now + 600})}",
        "wrong iss": f"Bearer {key.mint('https://evil.test', sub)}",
        "wrong aud": f"Bearer {key.mint(issuer, sub, audience='another-api')}",
        "no kid": "Bearer "
        + _sign(key, _unsigned({"alg": "RS256", "typ": "JWT"}, _claims(sub, issuer))),
        "unknown kid": "Bearer "
        + _sign(key, _unsigned({"alg": "RS256", "kid": "nope"}, _claims(sub, issuer))),
        "known kid, another key": f"Bearer {other.mint(issuer, sub)}",
        "alg none": "Bearer "
        + _unsigned({"alg": "none", "kid": key.kid}, _claims(sub, issuer))
        + ".",
        "HS256 with the public key": f"Bearer {hs_input}.{_b64(hs_signature)}",
        "payload edited after signing": (
            f"Bearer {header}.{_b64(json.dumps(edited).encode())}.{signature}"
        ),
    }


def _sign(key: SigningKey, signing_input: str) -> str:
    """RS256-sign `signing_input` with `key`, whatever its header says."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    signature = key.private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64(signature)}"

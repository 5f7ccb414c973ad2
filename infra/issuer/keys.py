"""The development issuer's signing key: RS256 with a `kid`, its JWKS, and tokens it mints."""

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from infra.local.audience import DEFAULT_AUDIENCE

DEFAULT_LIFETIME_S = 3600


def new_private_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key (development only: it lives as long as the process)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class SigningKey:
    """One RSA key pair, named by `kid` in the JWKS and in every token header."""

    private: rsa.RSAPrivateKey = field(default_factory=new_private_key)
    kid: str = field(default_factory=lambda: uuid.uuid4().hex[:16])

    def jwk(self) -> dict[str, Any]:
        """The public key as a JWK."""
        public: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**public, "kid": self.kid, "use": "sig", "alg": "RS256"}

    def private_pem(self) -> str:
        """The private key in PEM (development and tests only)."""
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    def jwks(self) -> dict[str, Any]:
        """The JSON Web Key Set with this one key."""
        return {"keys": [self.jwk()]}

    def mint(
        self,
        issuer: str,
        sub: str,
        *,
        audience: str | None = DEFAULT_AUDIENCE,
        scope: str | None = None,
        expires_in: int = DEFAULT_LIFETIME_S,
        extra: dict[str, Any] | None = None,
    ) -> str:
        """An RS256 access token; `expires_in` may be 0 or negative to mint an expired one."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer,
            "sub": sub,
            "iat": now,
            "nbf": now,
            "exp": now + expires_in,
            "jti": uuid.uuid4().hex,
            "token_use": "access",
        }
        if audience is not None:
            claims["aud"] = audience
        if scope:
            claims["scope"] = scope
        claims.update(extra or {})
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": self.kid})

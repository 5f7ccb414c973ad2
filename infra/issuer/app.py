"""The development OIDC issuer: discovery, JWKS and, for development only, POST /token.

Built like the catalog simulator: a small Starlette app, started by `make run` and
`make run-lambda`. Its tokens are what a real issuer (Cognito on AWS) would hand out.
"""

import json
import urllib.request
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from infra.issuer.keys import DEFAULT_LIFETIME_S, SigningKey
from infra.local.audience import DEFAULT_AUDIENCE

MAX_LIFETIME_S = 86_400


def create_app(
    issuer: str,
    key: SigningKey | None = None,
    audience: str = DEFAULT_AUDIENCE,
    scope: str = "",
) -> Starlette:
    """The issuer at base URL `issuer`, signing with `key` (a new one if none is given).

    A token carries the scopes its request asks for (`"scope": ""` for none, as an ID token),
    else `scope`: the API's scopes, so that a plain `{"sub": ...}` token passes every route.
    """
    key = key or SigningKey()
    issuer = issuer.rstrip("/")

    async def discovery(_: Request) -> JSONResponse:
        return JSONResponse(
            {
                "issuer": issuer,
                "jwks_uri": f"{issuer}/.well-known/jwks.json",
                "token_endpoint": f"{issuer}/token",
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["token"],
                "subject_types_supported": ["public"],
                "scopes_supported": scope.split(),
            }
        )

    async def jwks(_: Request) -> JSONResponse:
        return JSONResponse(key.jwks())

    async def token(request: Request) -> JSONResponse:
        try:
            body: Any = json.loads(await request.body())
        except ValueError:
            body = None
        problem = _invalid(body)
        if problem:
            return JSONResponse({"error": "invalid_request", "detail": problem}, status_code=400)
        expires_in = int(body.get("expires_in", DEFAULT_LIFETIME_S))
        access_token = key.mint(
            issuer,
            body["sub"],
            audience=body.get("aud", audience),
            scope=body.get("scope", scope),
            expires_in=expires_in,
        )
        return JSONResponse(
            {"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}
        )

    return Starlette(
        routes=[
            Route("/.well-known/openid-configuration", discovery),
            Route("/.well-known/jwks.json", jwks),
            Route("/token", token, methods=["POST"]),
        ]
    )


def _invalid(body: Any) -> str | None:
    """Why a /token body is refused, or None."""
    if not isinstance(body, dict):
        return 'send a JSON object such as {"sub": "alice"}'
    if not isinstance(body.get("sub"), str) or not body["sub"]:
        return "sub must be a non-empty string"
    for name in ("aud", "scope"):
        if name in body and not isinstance(body[name], str):
            return f"{name} must be a string"
    lifetime = body.get("expires_in", DEFAULT_LIFETIME_S)
    if not isinstance(lifetime, int) or isinstance(lifetime, bool) or lifetime > MAX_LIFETIME_S:
        return f"expires_in must be an integer of seconds, at most {MAX_LIFETIME_S}"
    return None


def request_token(issuer_url: str, sub: str, **fields: object) -> str:
    """Ask a running development issuer for an access token for `sub` (tests, soak, bench)."""
    body = json.dumps({"sub": sub, **fields}).encode()
    request = urllib.request.Request(  # noqa: S310 - the local issuer's URL
        f"{issuer_url.rstrip('/')}/token", data=body, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        token: str = json.loads(response.read())["access_token"]
    return token

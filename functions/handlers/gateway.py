"""API Gateway specifics: which events are HTTP requests, their URLs' stage prefix, and the
claims of the token API Gateway's authorizer verified."""

from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from movies.api.identity import CLAIMS_SCOPE_KEY


def is_http_event(event: object) -> bool:
    """True for API Gateway REST (payload 1.0) and HTTP API (payload 2.0) request events."""
    if not isinstance(event, Mapping):
        return False
    context = event.get("requestContext")
    if not isinstance(context, Mapping):
        return False
    if event.get("version") == "2.0":
        return isinstance(context.get("http"), Mapping)
    return "httpMethod" in event and "path" in event


def stage_prefix(event: Mapping[str, Any]) -> str:
    """The path prefix the public URL has and the app must not route on: "/Prod", "/dev" or ""."""
    context = event.get("requestContext", {})
    if event.get("version") == "2.0":
        # An HTTP API's named stage stays in rawPath; the $default stage has no prefix.
        stage = context.get("stage", "$default")
        path = context.get("http", {}).get("path", "")
        prefix = f"/{stage}"
        named = stage != "$default" and (path == prefix or path.startswith(prefix + "/"))
        return prefix if named else ""
    # A REST API strips the stage from `path` but keeps it in requestContext.path.
    public_path, path = context.get("path") or "", event.get("path") or ""
    if path and public_path.endswith(path) and public_path != path:
        return public_path[: -len(path)]
    return ""


def verified_claims(event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The claims API Gateway's authorizer verified, if a route has one.

    HTTP API JWT authorizers put them under requestContext.authorizer.jwt.claims; a REST API
    Cognito authorizer under requestContext.authorizer.claims. Nothing else is trusted.
    """
    authorizer = event.get("requestContext", {}).get("authorizer") or {}
    jwt = authorizer.get("jwt") if isinstance(authorizer, Mapping) else None
    claims = jwt.get("claims") if isinstance(jwt, Mapping) else authorizer.get("claims")
    return claims if isinstance(claims, Mapping) else None


class GatewayScopeMiddleware:
    """Puts what API Gateway decided into the ASGI scope: the stage prefix and verified claims.

    The root_path is the stage prefix, so routes match and /docs finds its spec: Starlette
    routes on path minus root_path, and FastAPI's Swagger page loads root_path + /openapi.json,
    which is what the browser must ask API Gateway for.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        event = scope.get("aws.event")
        if scope["type"] == "http" and event:
            claims = verified_claims(event)
            if claims is not None:
                scope[CLAIMS_SCOPE_KEY] = claims
            prefix = stage_prefix(event)
            if prefix:
                scope["root_path"] = prefix
                if not scope["path"].startswith(prefix):
                    scope["path"] = prefix + scope["path"]
        await self.app(scope, receive, send)

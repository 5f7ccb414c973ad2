"""API Gateway specifics: which events are HTTP requests, the prefix their public path carries
(stage, custom-domain mapping key), and the claims of the token API Gateway's authorizer verified.
"""

from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from handlers.event_body import event_body, with_content_length
from movies.api.identity import CLAIMS_SCOPE_KEY


def is_http_event(event: object) -> bool:
    """True for API Gateway REST (payload 1.0) and HTTP API (payload 1.0 and 2.0) requests.

    ALB and Lambda function URL events are not: neither has the JWT authorizer, the throttling
    or the CORS rules the template puts in front of the function, so they are refused.
    """
    if not isinstance(event, Mapping):
        return False
    context = event.get("requestContext")
    if not isinstance(context, Mapping) or "elb" in context:
        return False
    if ".lambda-url." in str(context.get("domainName", "")):
        return False
    if event.get("version") == "2.0":
        return isinstance(context.get("http"), Mapping)
    return "httpMethod" in event and "path" in event


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def stage_prefix(event: Mapping[str, Any]) -> str:
    """The stage prefix the public URL has and the app must not route on: "/Prod", "/dev" or ""."""
    context = event.get("requestContext", {})
    stage = context.get("stage") or "$default"
    named = f"/{stage}" if stage != "$default" else ""
    if event.get("version") == "2.0":
        # An HTTP API's named stage stays in the path; the $default stage has no prefix.
        path = context.get("http", {}).get("path", "")
        return named if named and _under(path, named) else ""
    public_path, path = context.get("path") or "", event.get("path") or ""
    if event.get("version") == "1.0":
        # HTTP API payload 1.0 (REST events have no version) keeps the stage in `path`.
        return named if named and _under(path, named) else ""
    # A REST API strips the stage from `path` but keeps it in requestContext.path.
    if path and public_path.endswith(path) and public_path != path:
        return public_path[: -len(path)]
    return ""


def public_prefix(event: Mapping[str, Any], base_path: str) -> str:
    """The stage prefix, then the custom domain's mapping key (`base_path`) if the path has it.

    An HTTP API mapping key is stripped for route matching but stays in the path the function
    gets: /v1/movies reaches it as /v1/movies, the stage named by the mapping, not the path.
    """
    prefix = stage_prefix(event)
    key = "/" + base_path.strip("/") if base_path.strip("/") else ""
    if not key:
        return prefix
    context = event.get("requestContext", {})
    if event.get("version") == "2.0":
        path = context.get("http", {}).get("path", "")
    else:  # a REST API keeps the key in requestContext.path only
        path = context.get("path") or event.get("path") or ""
    return prefix + key if _under(path[len(prefix) :], key) else prefix


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
    """Puts what API Gateway decided into the ASGI scope: the public prefix, verified claims and
    the body's size.

    The root_path is the public prefix (stage, mapping key), so routes match and /docs finds its
    spec: Starlette routes on path minus root_path, and FastAPI's Swagger page loads
    root_path + /openapi.json, which is what the browser must ask API Gateway for.
    """

    def __init__(self, app: ASGIApp, base_path: str = "") -> None:
        self.app = app
        self.base_path = base_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        event = scope.get("aws.event")
        if scope["type"] == "http" and event:
            claims = verified_claims(event)
            if claims is not None:
                scope[CLAIMS_SCOPE_KEY] = claims
            scope["headers"] = with_content_length(scope["headers"], len(event_body(event)))
            prefix = public_prefix(event, self.base_path)
            if prefix:
                scope["root_path"] = prefix
                if not scope["path"].startswith(prefix):
                    # REST strips the stage (and mapping key) from `path`: put them back.
                    scope["path"] = prefix + scope["path"]
        await self.app(scope, receive, send)

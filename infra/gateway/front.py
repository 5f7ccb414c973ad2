"""API Gateway's front door, before any route runs: CORS, unrouted requests, repeated headers.

What the HTTP API answers itself, read from template.yaml as deployed (parameters at their
defaults unless the environment names them, as CORS_ALLOW_ORIGINS does for CorsAllowOrigins):
- CORS (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html): a
  preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered by the gateway,
  with no OPTIONS route and without invoking the function; other requests from an allowed Origin
  get the configured headers added to the function's answer, and whatever CORS headers the
  function sent are dropped. An origin not allowed gets no CORS header at all.
- A request that matches no route is a 404 `{"message":"Not Found"}`; the function never runs.
  Paths match as written: `/me/ratings/` and `//movies` are not `/me/ratings` and `/movies`.
- Repeated headers reach the function joined with commas (payload format 2.0), so two
  Authorization headers are one value that no authorizer accepts.
- A request over the HTTP API's size quotas is refused first (infra.gateway.quotas), and one
  beyond the stage's route throttling after routing (infra.gateway.throttle): 413 and 429.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from infra.gateway.parameters import gateway_parameters
from infra.gateway.quotas import over_quota
from infra.gateway.routes import Route, route_for
from infra.gateway.throttle import Throttle, throttle_of
from infra.local.intrinsics import Resolver

Headers = list[tuple[str, str]]
_CORS_RESPONSE = (
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
)


def message_body(message: str) -> str:
    """The body API Gateway gives its own answers: `{"message":"..."}`, compact."""
    return json.dumps({"message": message}, separators=(",", ":"))


@dataclass(frozen=True)
class GatewayAnswer:
    """An answer the gateway gives itself."""

    status: int
    headers: Headers
    body: bytes


@dataclass(frozen=True)
class Cors:
    """The HTTP API's CorsConfiguration."""

    allow_origins: tuple[str, ...]
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None
    allow_credentials: bool = False

    def allows(self, origin: str) -> bool:
        """Whether `origin` is allowed: listed, or under `*`, `https://*` or `http://*`."""
        return any(
            allowed == "*"
            or allowed.lower() == origin.lower()
            or (allowed.endswith("://*") and origin.lower().startswith(allowed[:-1].lower()))
            for allowed in self.allow_origins
        )

    def preflight(self, origin: str) -> GatewayAnswer:
        """The gateway's answer to a preflight: 204, with CORS headers if the origin is allowed."""
        headers: Headers = []
        if self.allows(origin):
            headers = self.response_headers(origin)
            if self.allow_methods:
                headers.append(("access-control-allow-methods", ",".join(self.allow_methods)))
            if self.allow_headers:
                headers.append(("access-control-allow-headers", ",".join(self.allow_headers)))
            if self.max_age is not None:
                headers.append(("access-control-max-age", str(self.max_age)))
        return GatewayAnswer(204, headers, b"")

    def response_headers(self, origin: str) -> Headers:
        """Headers added to an answer for a request from `origin` (none if not allowed)."""
        if not self.allows(origin):
            return []
        value = "*" if "*" in self.allow_origins and not self.allow_credentials else origin
        headers = [("access-control-allow-origin", value), ("vary", "Origin")]
        if self.allow_credentials:
            headers.append(("access-control-allow-credentials", "true"))
        if self.expose_headers:
            headers.append(("access-control-expose-headers", ",".join(self.expose_headers)))
        return headers


def cors_of(template: dict[str, Any], api: str = "HttpApi") -> Cors | None:
    """The CorsConfiguration of the template's HTTP API `api`, resolved (CORS_ALLOW_ORIGINS
    overrides CorsAllowOrigins); None if it has none."""
    declared = template["Resources"][api]["Properties"].get("CorsConfiguration")
    if declared is None:
        return None
    config = Resolver(template, gateway_parameters()).resolve(declared)
    return Cors(
        allow_origins=tuple(config.get("AllowOrigins", ())),
        allow_methods=tuple(config.get("AllowMethods", ())),
        allow_headers=tuple(h.lower() for h in config.get("AllowHeaders", ())),
        expose_headers=tuple(config.get("ExposeHeaders", ())),
        max_age=int(config["MaxAge"]) if "MaxAge" in config else None,
        allow_credentials=bool(config.get("AllowCredentials", False)),
    )


def joined(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers by lower-case name, repeated ones joined with commas, as payload 2.0 has them."""
    merged: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        merged[key] = f"{merged[key]},{value}" if key in merged else value
    return merged


class Front:
    """Decides what API Gateway answers itself, before authorizing and invoking."""

    def __init__(
        self, routes: Sequence[Route], cors: Cors | None, throttle: Throttle | None = None
    ) -> None:
        self.routes = list(routes)
        self.cors = cors
        self.throttle = throttle

    def answer(
        self, method: str, path: str, headers: dict[str, str], query: str = ""
    ) -> GatewayAnswer | None:
        """The gateway's own answer to the request, or None to pass it on (`headers`: joined)."""
        if over_quota(method, f"{path}?{query}" if query else path, headers):
            return self._own(413, "Request Entity Too Large", headers)
        origin = headers.get("origin")
        if (
            self.cors is not None
            and method == "OPTIONS"
            and origin
            and "access-control-request-method" in headers
        ):
            return self.cors.preflight(origin)
        route = route_for(self.routes, method, path)
        if route is None:
            return self._own(404, "Not Found", headers)
        if self.throttle is not None and not self.throttle.admit(f"{route.method} {route.path}"):
            return self._own(429, "Too Many Requests", headers)
        return None

    def _own(self, status: int, message: str, request_headers: dict[str, str]) -> GatewayAnswer:
        headers = [("content-type", "application/json"), *self.cors_headers(request_headers)]
        return GatewayAnswer(status, headers, message_body(message).encode())

    def cors_headers(self, request_headers: dict[str, str]) -> Headers:
        """The CORS headers the gateway adds to any answer to this request."""
        origin = request_headers.get("origin")
        if self.cors is None or not origin:
            return []
        return self.cors.response_headers(origin)

    def finish(self, request_headers: dict[str, str], response_headers: Headers) -> Headers:
        """The function's answer headers as the gateway sends them: its CORS headers replaced."""
        kept = [(k, v) for k, v in response_headers if k.lower() not in _CORS_RESPONSE]
        added = self.cors_headers(request_headers)
        if any(k == "vary" for k, _ in added):
            vary = [v for k, v in kept if k.lower() == "vary"]
            kept = [(k, v) for k, v in kept if k.lower() != "vary"]
            added = [(k, ", ".join([*vary, v]) if k == "vary" else v) for k, v in added]
        return [*kept, *added]


def front_of(routes: Sequence[Route], template: dict[str, Any]) -> Front:
    """The front door the template describes: its CORS and its stage's route throttling."""
    return Front(routes, cors_of(template), throttle_of(template))

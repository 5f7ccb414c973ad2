"""Which routes need a token, read from template.yaml's HTTP API events, as API Gateway reads them.

The local stacks protect exactly the routes the deployed API protects: one list, the template's.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from infra.local.intrinsics import Resolver

PUBLIC = "NONE"  # SAM's Auth.Authorizer value for a route without an authorizer


@dataclass(frozen=True, slots=True)
class Route:
    """One HTTP API route: method, path template, and the authorizer it needs (None: public)."""

    method: str
    path: str
    authorizer: str | None
    scopes: tuple[str, ...] = ()

    def matches(self, method: str, path: str) -> bool:
        """Whether API Gateway would send this request to this route."""
        return self.method in ("ANY", method.upper()) and bool(_pattern(self.path).fullmatch(path))

    @property
    def specificity(self) -> tuple[int, int]:
        """API Gateway prefers the route with the most literal segments, then a non-greedy one."""
        segments = self.path.strip("/").split("/")
        literal = sum(1 for s in segments if not s.startswith("{"))
        return literal, 0 if self.path.endswith("+}") else 1


def routes_of(template: dict[str, Any], function: str = "ApiFunction") -> list[Route]:
    """The HttpApi routes of `function`, each with the authorizer and scopes the template gives
    it (scopes named by parameters take the parameters' defaults, as the local stack does)."""
    resolver = Resolver(template)
    resources = template["Resources"]
    events = resources[function]["Properties"].get("Events", {})
    routes = []
    for event in events.values():
        if event.get("Type") != "HttpApi":
            continue
        props = event.get("Properties", {})
        api_name = props.get("ApiId", {}).get("Ref", "ServerlessHttpApi")
        auth = props.get("Auth", {})
        default = resources.get(api_name, {}).get("Properties", {}).get("Auth", {})
        authorizer = auth.get("Authorizer", default.get("DefaultAuthorizer"))
        routes.append(
            Route(
                method=str(props.get("Method", "ANY")).upper(),
                path=props.get("Path", "/{proxy+}"),
                authorizer=None if authorizer in (None, PUBLIC) else str(authorizer),
                scopes=tuple(resolver.resolve(auth.get("AuthorizationScopes", []))),
            )
        )
    return routes


def api_scopes(routes: Sequence[Route]) -> str:
    """Every scope some route asks for, space-separated as a token's `scope` claim holds them:
    what the development issuer grants unless asked for others."""
    return " ".join(dict.fromkeys(scope for route in routes for scope in route.scopes))


def route_for(routes: Sequence[Route], method: str, path: str) -> Route | None:
    """The route API Gateway would pick for the request, or None (it would answer 404)."""
    matching = [route for route in routes if route.matches(method, path)]
    return max(matching, key=lambda route: route.specificity, default=None)


@cache
def _pattern(path: str) -> re.Pattern[str]:
    """A regex for a route path: {name} is one segment, {name+} the rest of the path."""
    parts = re.split(r"(\{[^}]+\})", path)
    regex = "".join(
        ("(.+)" if part.endswith("+}") else "([^/]+)") if part.startswith("{") else re.escape(part)
        for part in parts
    )
    return re.compile(regex)

"""API Gateway's front door for the local stacks: pick the route, run its JWT authorizer.

`authorize_request` is the one decision both local paths make: the uvicorn stack through
`LocalGateway` (claims into the ASGI scope, where handlers.gateway puts them on Lambda), and
`make run-lambda`'s stand-in (claims into the event, exactly where API Gateway puts them).
"""

import time
from collections.abc import Iterable, Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handlers.gateway import public_prefix
from infra.gateway.authorizer import Denied, Grant, JwtAuthorizer, MissingScope
from infra.gateway.front import Front, GatewayAnswer, joined, message_body
from infra.gateway.routes import Route, route_for
from movies.api.error_handlers import send_error
from movies.api.identity import CLAIMS_SCOPE_KEY
from movies.api.middleware.access_log import AccessLog
from movies.api.middleware.request_id import request_id_from

# What the request log's line for an answer the gateway gave itself carries (API Gateway's
# access log has these lines on AWS): the app never saw the request.
GATEWAY_LINE = {"answered_by": "gateway"}


def authorize_request(
    routes: Sequence[Route],
    authorizer: JwtAuthorizer,
    method: str,
    path: str,
    authorization: str | None,
) -> Grant | None:
    """The grant for a request to a protected route; None for a public or unrouted one.

    Raises Denied when the route needs a token and this one does not pass.
    """
    route = route_for(routes, method, path)
    if route is None or route.authorizer is None:
        return None
    return authorizer.authorize(authorization, route.scopes)


# What each refusal answers: API Gateway's 401 for a token it cannot accept, 403 for a valid token
# without the route's scope (RFC 6750's invalid_token and insufficient_scope).
REFUSALS = {401: ("Unauthorized", "unauthorized"), 403: ("Forbidden", "forbidden")}


def challenge(denied: Denied) -> str:
    """The WWW-Authenticate value sent with the refusal, naming the scopes a 403 lacked."""
    if isinstance(denied, MissingScope):
        scopes = " ".join(denied.required)
        return f'Bearer scope="{scopes}" error="insufficient_scope" error_description="{denied}"'
    return f'Bearer scope="" error="invalid_token" error_description="{denied}"'


def event_authorizer(grant: Grant, flavour: str) -> dict[str, Any]:
    """requestContext.authorizer as API Gateway fills it: HTTP API (v2) or REST API (v1)."""
    if flavour == "v1":
        return {"claims": grant.claims}
    return {"jwt": {"claims": grant.claims, "scopes": grant.scopes}}


def authorize_event(
    routes: Sequence[Route],
    authorizer: JwtAuthorizer,
    event: dict[str, Any],
    base_path: str = "",
) -> dict[str, Any] | None:
    """Authorize an API Gateway event as API Gateway does before invoking the function.

    For a protected route with a valid token, fill requestContext.authorizer in place and
    return None; for a bad token, return the result API Gateway answers without invoking.
    Routes match without the stage and without the custom domain's mapping key (`base_path`),
    which API Gateway strips for matching but leaves in the path the function gets.
    """
    v2 = event.get("version") == "2.0"
    context = event.setdefault("requestContext", {})
    context.pop("authorizer", None)  # only the gateway ever sets it
    method = context["http"]["method"] if v2 else event["httpMethod"]
    path = (event["rawPath"] if v2 else event["path"]).removeprefix(public_prefix(event, base_path))
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    try:
        grant = authorize_request(
            routes, authorizer, method, path or "/", headers.get("authorization")
        )
    except Denied as exc:
        return {
            "statusCode": exc.status,
            "headers": {
                "content-type": "application/json",
                "www-authenticate": challenge(exc),
            },
            "body": message_body(REFUSALS[exc.status][0]),
            "isBase64Encoded": False,
        }
    if grant is not None:
        context["authorizer"] = event_authorizer(grant, "v2" if v2 else "v1")
    return None


class LocalGateway:
    """Pure ASGI: answers 401 (403 without the route's scope) for a protected route, else passes
    the verified claims to the app in the scope, as handlers.gateway does from API Gateway's event.

    With a `front` (make run's), API Gateway's own answers come first (CORS preflights, 404 for
    what no route matches, 413 over its quotas, 429 beyond its throttle), repeated headers reach
    the app joined, and CORS headers are the gateway's (infra.gateway.front). With a `log`, each
    answer the gateway gives itself gets its line in the request log, as the app's answers do.
    """

    def __init__(
        self,
        app: ASGIApp,
        routes: Sequence[Route],
        authorizer: JwtAuthorizer,
        front: Front | None = None,
        log: AccessLog | None = None,
    ) -> None:
        self.app = app
        self.routes = list(routes)
        self.authorizer = authorizer
        self.front = front
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        scope.pop(CLAIMS_SCOPE_KEY, None)  # only this gateway ever sets it
        headers = joined(decoded(scope["headers"]))
        if self.front is not None:
            scope["headers"] = _encoded(headers.items())
            query = scope["query_string"].decode("latin-1")
            answer = self.front.answer(scope["method"], scope["path"], headers, query)
            if answer is not None:
                await send_answer(send, answer)
                self._logged(scope, answer.status, start, request_id_from(scope))
                return
            send = _with_gateway_headers(send, self.front, headers)
        try:
            grant = authorize_request(
                self.routes,
                self.authorizer,
                scope["method"],
                scope["path"],
                headers.get("authorization"),
            )
        except Denied as exc:
            request_id = request_id_from(scope)
            await self._refuse(send, exc, request_id)
            self._logged(scope, exc.status, start, request_id)
            return
        if grant is not None:
            scope[CLAIMS_SCOPE_KEY] = grant.claims
        await self.app(scope, receive, send)

    def _logged(self, scope: Scope, status: int, start: float, request_id: str) -> None:
        if self.log is not None:
            self.log.finished(scope, status, start, request_id, **GATEWAY_LINE)

    async def _refuse(self, send: Send, denied: Denied, request_id: str) -> None:
        async def with_challenge(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message["headers"],
                    (b"www-authenticate", challenge(denied).encode()),
                    (b"cache-control", b"no-store"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        error = REFUSALS[denied.status][1]
        await send_error(with_challenge, denied.status, error, str(denied), request_id)


def decoded(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """ASGI headers as text (HTTP header bytes are Latin-1)."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]


def _encoded(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]


async def send_answer(send: Send, answer: GatewayAnswer) -> None:
    """Send a whole answer, with its Content-Length unless it already names one."""
    headers = _encoded(answer.headers)
    if not any(name.lower() == b"content-length" for name, _ in headers):
        headers.append((b"content-length", str(len(answer.body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


def _with_gateway_headers(send: Send, front: Front, request_headers: dict[str, str]) -> Send:
    async def send_through_gateway(message: Message) -> None:
        if message["type"] == "http.response.start":
            finished = front.finish(request_headers, decoded(message["headers"]))
            message["headers"] = _encoded(finished)
        await send(message)

    return send_through_gateway

"""Pure ASGI middleware that refuses what must not be served and bounds how long a request runs.

Limits (each answered with the JSON error shape before any route runs):
- query string over MAX_QUERY_BYTES: 414;
- body over MAX_BODY_BYTES, by Content-Length or as it streams in: 413;
- a body sent with a content type other than application/json: 415;
- still running at the deadline: 504, and the request is cancelled.
"""

import asyncio

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from movies.api.error_handlers import send_error
from movies.errors import DeadlineExceeded

MAX_BODY_BYTES = 1024 * 1024
MAX_QUERY_BYTES = 4096
_BODY_METHODS = {"POST", "PUT", "PATCH"}


class _BodyTooLarge(HTTPException):
    """Raised from receive; an HTTPException, because FastAPI turns others met while reading
    a body into a 400, and answers this one with its status through the error handlers."""

    def __init__(self) -> None:
        super().__init__(413, detail=_too_large())


class GuardMiddleware:
    """Applies the size and type limits, then runs the request under its deadline."""

    def __init__(self, app: ASGIApp, deadline_s: float) -> None:
        self.app = app
        self.deadline_s = deadline_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id", "")
        refusal = _refusal(scope)
        if refusal:
            await send_error(send, *refusal, request_id)
            return
        started = False
        received = 0

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise _BodyTooLarge
            return message

        deadline = asyncio.timeout(self.deadline_s)
        try:
            async with deadline:
                await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await send_error(send, 413, "payload_too_large", _too_large(), request_id)
        except TimeoutError:
            if not deadline.expired():
                raise
            if not started:
                detail = f"no answer within {self.deadline_s:g} s"
                await send_error(
                    send, DeadlineExceeded.status_code, DeadlineExceeded.error, detail, request_id
                )


def _refusal(scope: Scope) -> tuple[int, str, str] | None:
    """The (status, error, detail) to refuse this request with before reading it, if any."""
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return 414, "uri_too_long", f"the query string is over {MAX_QUERY_BYTES} bytes"
    if scope["method"] not in _BODY_METHODS:
        return None
    content_type, has_body = b"", False
    for name, value in scope["headers"]:
        if name == b"content-length":
            if value.isdigit() and int(value) > MAX_BODY_BYTES:
                return 413, "payload_too_large", _too_large()
            has_body = has_body or value not in (b"0", b"")
        elif name == b"transfer-encoding":
            has_body = True
        elif name == b"content-type":
            content_type = value.split(b";", 1)[0].strip().lower()
    if has_body and content_type != b"application/json":
        return 415, "unsupported_media_type", "send the body as application/json"
    return None


def _too_large() -> str:
    return f"the body is over {MAX_BODY_BYTES} bytes"

"""The request's edge, in one pure ASGI pass: id, limits, deadline, headers, HTTP caching, gzip,
HEAD and log line.

One middleware instead of a stack of three: each layer cost a coroutine call and a send
wrapper on every request (docs/benchmarks.md, the hot path). Written as raw ASGI because
BaseHTTPMiddleware costs 25-50% of throughput on cheap routes.
"""

import asyncio
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from movies.api.error_handlers import send_error
from movies.api.middleware.access_log import AccessLog
from movies.api.middleware.compression import accepts_gzip, gzipped
from movies.api.middleware.deadline import Deadline
from movies.api.middleware.head import get_twin, without_body
from movies.api.middleware.limits import (
    BODY_METHODS,
    TOO_LARGE,
    BodyTooLarge,
    ErrorAnswer,
    limited,
    refusal,
)
from movies.api.middleware.public_cache import PublicCache
from movies.api.middleware.request_id import REQUEST_ID_HEADER, request_id_from
from movies.errors import ApiError, DeadlineExceeded

INTERNAL_ERROR: ErrorAnswer = (ApiError.status_code, ApiError.error, "unexpected server error")
NO_STORE = (b"cache-control", b"no-store")


class EdgeMiddleware:
    """Gives each HTTP request an id, refuses what breaks the limits, runs the rest under the
    deadline (504 at it, and the request cancelled), adds X-Request-Id, X-Process-Time,
    Server-Timing and nosniff to every answer and no-store to every error, tags public answers
    and answers their conditional GETs (`cache_control` is their Cache-Control), gzips for
    clients that accept it, answers a HEAD as its GET without the body, answers an escaped
    exception with a JSON 500, and writes the access log line."""

    def __init__(
        self, app: ASGIApp, *, access_log: AccessLog, deadline_s: float, cache_control: bytes
    ) -> None:
        self.app = app
        self.access_log = access_log
        self.deadline_s = deadline_s
        self.cache_control = cache_control
        self.too_late: ErrorAnswer = (
            DeadlineExceeded.status_code,
            DeadlineExceeded.error,
            f"no answer within {deadline_s:g} s",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "HEAD":
            scope, send = get_twin(scope), without_body(send)
        start = time.perf_counter()
        request_id = request_id_from(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                elapsed = time.perf_counter() - start
                headers = [
                    *message.get("headers", ()),
                    (REQUEST_ID_HEADER, request_id.encode()),
                    (b"x-process-time", f"{elapsed:.6f}".encode()),
                    (b"server-timing", f"app;dur={elapsed * 1000:.3f}".encode()),
                    # Browsers must not guess a type: every body here is JSON or the docs' HTML.
                    (b"x-content-type-options", b"nosniff"),
                ]
                # An error is never reused: a cache may otherwise keep a 404 or a 414 by
                # heuristic (RFC 9110 15.1), and CloudFront keeps those unless told no-store.
                if status >= 400 and all(name != b"cache-control" for name, _ in headers):
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        try:
            failure = refusal(scope) or await self._run(
                scope, receive, send_with_headers, request_id
            )
            if failure and not started:
                await send_error(send_with_headers, *failure, request_id)
        finally:
            self.access_log.finished(scope, status, start, request_id)

    async def _run(
        self, scope: Scope, receive: Receive, send: Send, request_id: str
    ) -> ErrorAnswer | None:
        """Run the app under the deadline and the body limit; what to answer if it failed."""
        # Inside gzip: a public answer is tagged as the representation it goes out as.
        app = PublicCache(self.app, self.cache_control) if scope["method"] == "GET" else self.app
        if accepts_gzip(scope):
            app = gzipped(app)
        if scope["method"] in BODY_METHODS:
            receive = limited(receive)
        deadline = Deadline(self.deadline_s)
        try:
            await app(scope, receive, send)
        except asyncio.CancelledError:
            if not deadline.expired:
                raise  # the server's or the client's, not ours
            return self.too_late
        except BodyTooLarge:
            return TOO_LARGE
        except Exception:
            self.access_log.logger.exception("unhandled error", extra={"request_id": request_id})
            return INTERNAL_ERROR
        finally:
            deadline.close()
        return None

"""One JSON line per finished request, and what observers (metrics on Lambda) are told of it.

A personal route's line names its caller (`user`, the verified token's `sub`), so that abuse can
be traced to an account; the token itself is never logged.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger
from starlette.types import Scope

from movies.api.identity import CLAIMS_SCOPE_KEY, subject
from movies.api.middleware.head import HEAD_SCOPE_KEY


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """What was measured about one finished request."""

    method: str
    route: str | None
    path: str
    status: int
    duration_ms: float
    request_id: str


RequestObserver = Callable[[RequestRecord], None]

_IDEMPOTENCY_KEY = b"idempotency-key"
# A valid key is at most 255 characters, 512 as a quoted string of escapes: a longer value (the
# app refuses it) is cut there, so that no client can make the line as long as it likes.
_MAX_LOGGED_KEY = 512


def _idempotency_key(scope: Scope) -> str | None:
    """The request's Idempotency-Key header as sent (cut to 512 characters), if any."""
    value: bytes
    for name, value in scope["headers"]:
        if name == _IDEMPOTENCY_KEY:
            return value[:_MAX_LOGGED_KEY].decode("latin-1")
    return None


class AccessLog:
    """Writes the request line through the Powertools logger, then tells each observer."""

    def __init__(self, logger: Logger, observers: tuple[RequestObserver, ...] = ()) -> None:
        self.logger = logger
        self.observers = observers

    def finished(
        self, scope: Scope, status: int, start: float, request_id: str, **more: str
    ) -> None:
        """Record the request `scope`, answered with `status`, begun at perf_counter `start`;
        `more` adds fields (the local gateway's own answers say `answered_by`)."""
        route: Any = scope.get("route")
        route_path = getattr(route, "path", None)
        duration_ms = round((time.perf_counter() - start) * 1000, 3)
        # What the client sent: a HEAD runs as its GET twin (movies.api.middleware.head).
        method = "HEAD" if HEAD_SCOPE_KEY in scope else scope["method"]
        path = scope["path"]
        line = {
            "method": method,
            "route": route_path,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "request_id": request_id,
            # None (no header) is left out of the line by the formatter.
            "idempotency_key": _idempotency_key(scope),
            **more,
        }
        user = subject(scope.get(CLAIMS_SCOPE_KEY))
        if user is not None:
            line["user"] = user
        self.logger.info("request", extra=line)
        if self.observers:
            record = RequestRecord(method, route_path, path, status, duration_ms, request_id)
            for observe in self.observers:
                observe(record)

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

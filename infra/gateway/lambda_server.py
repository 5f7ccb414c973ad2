"""`make run-lambda`: HTTP on a local port, each request served by the real Lambda handler.

What `sam local start-api` does, minus the container, plus what it lacks (aws-sam-cli#6550): the
route's JWT authorizer, run as API Gateway runs it (infra.gateway.edge), its claims put into the
event where API Gateway puts them, and a bad token answered 401 without invoking the function.
Every request becomes an API Gateway HTTP API (payload 2.0) event and is invoked on one of a pool
of execution environments. Each environment is a process that imports handlers.api once and then
serves one event at a time, warm, exactly as Lambda runs it; the pool size is Lambda's
concurrency here.
"""

import asyncio
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from starlette.types import Receive, Scope, Send

from infra.gateway.app import local_authorizer, template_routes
from infra.gateway.edge import authorize_event
from infra.gateway.events import HttpRequest, from_result, to_event
from infra.local.lambda_runtime import LocalContext

ENVIRONMENTS = int(os.environ.get("LAMBDA_ENVIRONMENTS", "10"))
_handler: Any = None


def _start_environment() -> None:
    global _handler
    import handlers.api  # the cold start: module-scope app, clients and Powertools

    _handler = handlers.api.handler


def _invoke(event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = _handler(event, LocalContext())
    return result


class LambdaServer:
    """ASGI app that forwards every HTTP request to the handler pool."""

    def __init__(self, environments: int = ENVIRONMENTS) -> None:
        # spawn, not fork: the server's own event loop and threads must not leak into environments.
        self.pool = ProcessPoolExecutor(
            environments, mp_context=get_context("spawn"), initializer=_start_environment
        )
        self.routes = template_routes()
        self.authorizer = local_authorizer()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call: HTTP goes to Lambda; lifespan shuts the pool down."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = HttpRequest(
            method=scope["method"],
            path=scope["path"],
            query=scope["query_string"].decode("latin-1"),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
            body=body,
        )
        event = to_event(request, "v2")
        result = authorize_event(self.routes, self.authorizer, event)
        if result is None:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self.pool, _invoke, event)
        status, headers, content = from_result(result)
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": content})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.shutdown(wait=True, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

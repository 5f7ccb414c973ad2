"""An httpx transport that sends each request through a Lambda handler as an API Gateway event."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from handlers.mangum_handler import LambdaHandler
from infra.gateway.events import Flavour, HttpRequest, from_result, to_event
from infra.local.lambda_runtime import LocalContext

# What API Gateway does before invoking: None to invoke (the event may gain authorizer claims),
# or the answer it gives itself (a 401 for a bad token).
Gateway = Callable[[dict[str, Any]], dict[str, Any] | None]


class LambdaTransport(httpx.AsyncBaseTransport):
    """One execution environment behind an optional API Gateway; one invocation at a time.

    Mangum drives its own event loop, which cannot run inside the test's, so the handler runs on
    a dedicated thread that keeps its loop across invocations, as a warm Lambda does.
    """

    def __init__(
        self,
        handler: LambdaHandler,
        flavour: Flavour,
        stage: str = "$default",
        gateway: Gateway | None = None,
    ) -> None:
        self.handler = handler
        self.gateway = gateway
        self.flavour = flavour
        self.stage = stage
        self.events: list[dict[str, object]] = []
        self._environment = ThreadPoolExecutor(1, initializer=_own_event_loop)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Invoke the handler with the event for `request` and decode its result."""
        http = HttpRequest(
            method=request.method,
            path=request.url.path,
            query=request.url.query.decode(),
            headers=[(k.decode(), v.decode()) for k, v in request.headers.raw],
            body=await request.aread(),
        )
        event = to_event(http, self.flavour, self.stage)
        self.events.append(event)
        result = self.gateway(event) if self.gateway else None
        if result is None:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(
                self._environment, self.handler, event, LocalContext()
            )
        status, headers, body = from_result(result)
        return httpx.Response(status, headers=headers, content=body, request=request)

    async def aclose(self) -> None:
        """Close the environment's event loop, then stop its thread."""
        # Left open, the loop is closed by the garbage collector whenever it runs, in whatever
        # test runs then, and its self-pipe is gone by that time (an unraisable ValueError).
        await asyncio.wrap_future(self._environment.submit(_close_own_event_loop))
        self._environment.shutdown(wait=True)


def _own_event_loop() -> None:
    asyncio.set_event_loop(asyncio.new_event_loop())


def _close_own_event_loop() -> None:
    asyncio.get_event_loop().close()

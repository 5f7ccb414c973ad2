"""Pure ASGI middleware that bounds every request by a deadline."""

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from movies.errors import DeadlineExceeded, send_error


class DeadlineMiddleware:
    """Cancels a request still running after `deadline_s` and answers 504.

    If the response has already started there is nothing left to answer with; the request is
    still cancelled so that it holds no resources past the deadline.
    """

    def __init__(self, app: ASGIApp, deadline_s: float) -> None:
        self.app = app
        self.deadline_s = deadline_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        deadline = asyncio.timeout(self.deadline_s)
        try:
            async with deadline:
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if not deadline.expired():
                raise
            if not started:
                request_id = scope.get("state", {}).get("request_id", "")
                detail = f"no answer within {self.deadline_s:g} s"
                await send_error(
                    send, DeadlineExceeded.status_code, DeadlineExceeded.error, detail, request_id
                )

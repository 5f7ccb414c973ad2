"""Pure ASGI gzip for answers over 1 KiB, only when the request accepts it.

HTTP APIs do not compress, so the app does, under uvicorn and through the Lambda handler alike
(Mangum then base64-flags the body). A request that does not accept gzip passes straight
through, untouched: the hot path (and `ab`, which sends no Accept-Encoding) pays nothing.
"""

from starlette.middleware.gzip import GZipResponder
from starlette.types import ASGIApp, Receive, Scope, Send

MINIMUM_SIZE = 1024
# zlib's default: within a few percent of level 9's size on JSON, at a fraction of its CPU.
COMPRESS_LEVEL = 6


def _accepts_gzip(scope: Scope) -> bool:
    return any(
        name == b"accept-encoding" and b"gzip" in value.lower() for name, value in scope["headers"]
    )


class CompressionMiddleware:
    """gzip what is over MINIMUM_SIZE bytes, for clients that say Accept-Encoding: gzip."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] == "http" and _accepts_gzip(scope):
            responder = GZipResponder(self.app, MINIMUM_SIZE, compresslevel=COMPRESS_LEVEL)
            await responder(scope, receive, send)
            return
        await self.app(scope, receive, send)

"""An httpx transport backed by aiohttp: the httpx API, with aiohttp's faster HTTP/1.1 client.

httpx's own pool is pure Python and slow under high concurrency; this keeps every caller on
httpx (timeouts, MockTransport in tests) while aiohttp moves the bytes. Responses are read whole:
the catalog's are small JSON documents, and a dropped body must fail here, not in a caller.
aiohttp is imported on the first request, so a cold start that serves /health never pays for it.
"""

from functools import cache
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    import aiohttp


@cache
def _errors() -> tuple[tuple[type[BaseException], type[httpx.TransportError]], ...]:
    """aiohttp's errors and what httpx callers see instead, most specific first."""
    import asyncio

    import aiohttp

    return (
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
        (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
        (asyncio.TimeoutError, httpx.ReadTimeout),
        (aiohttp.ClientConnectorError, httpx.ConnectError),
        (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
        (aiohttp.ClientError, httpx.ReadError),
    )


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests through one aiohttp ClientSession, made in the first request's loop."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._limit = limits.max_connections or 0  # 0: no limit, as httpx's None
        self._keepalive_s = limits.keepalive_expiry or 5.0
        self._session: aiohttp.ClientSession | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request and read its whole body, mapping aiohttp's errors to httpx's."""
        session = self._client()
        timeout = request.extensions.get("timeout", {})
        try:
            async with session.request(
                request.method,
                str(request.url),
                headers=request.headers.multi_items(),
                data=await request.aread() or None,
                allow_redirects=False,
                timeout=_client_timeout(timeout),
            ) as response:
                content = await response.read()
        except Exception as exc:
            for source, target in _errors():
                if isinstance(exc, source):
                    raise target(str(exc) or type(exc).__name__, request=request) from exc
            raise
        return httpx.Response(
            response.status, headers=response.raw_headers, content=content, request=request
        )

    async def aclose(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> "aiohttp.ClientSession":
        if self._session is None:
            import aiohttp

            connector = aiohttp.TCPConnector(limit=self._limit, keepalive_timeout=self._keepalive_s)
            # auto_decompress off: httpx decodes Content-Encoding itself, exactly once.
            self._session = aiohttp.ClientSession(connector=connector, auto_decompress=False)
        return self._session


def _client_timeout(timeout: dict[str, float | None]) -> "aiohttp.ClientTimeout":
    import aiohttp

    return aiohttp.ClientTimeout(
        connect=timeout.get("pool"),
        sock_connect=timeout.get("connect"),
        sock_read=timeout.get("read"),
    )

"""How the catalog client moves bytes: aiohttp in production, any httpx transport otherwise.

A Fetcher only GETs a URL and returns the status and the whole body (the catalog's answers are
small JSON documents, and a dropped body must fail here, not in a caller). Failures are raised
as httpx exceptions, so one mapping (movies.upstream) turns them into API errors.

aiohttp drives production because httpx's client machinery (URL parsing, request building,
auth and redirect flows) cost more per call than aiohttp's whole loopback round trip. Tests
and the `httpx` option use HttpxFetcher with any httpx transport, MockTransport included.
"""

from functools import cache
from typing import TYPE_CHECKING, Protocol

import httpx

if TYPE_CHECKING:
    import aiohttp
    from aws_lambda_powertools import Tracer

Timeouts = dict[str, float]


class Fetcher(Protocol):
    """GETs a URL; raises httpx.HTTPError subclasses on transport failures."""

    async def get(self, url: str, timeouts: Timeouts) -> tuple[int, bytes]:
        """Return the status code and the whole body."""
        ...

    async def aclose(self) -> None:
        """Close the pooled connections."""
        ...


class HttpxFetcher:
    """Drives an httpx transport directly, skipping httpx.AsyncClient's request machinery."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport

    async def get(self, url: str, timeouts: Timeouts) -> tuple[int, bytes]:
        """Send one GET through the transport."""
        request = httpx.Request("GET", url, extensions={"timeout": timeouts})
        response = await self._transport.handle_async_request(request)
        return response.status_code, await response.aread()

    async def aclose(self) -> None:
        """Close the transport."""
        await self._transport.aclose()


class TracedFetcher:
    """Records each catalog call as an X-Ray subsegment, so upstream time shows in traces."""

    def __init__(self, inner: Fetcher, tracer: "Tracer") -> None:
        self._inner = inner
        self._tracer = tracer

    async def get(self, url: str, timeouts: Timeouts) -> tuple[int, bytes]:
        """GET through the inner fetcher inside a subsegment."""
        async with self._tracer.provider.in_subsegment_async("## catalog GET") as segment:
            segment.put_metadata("url", url)
            status, body = await self._inner.get(url, timeouts)
            segment.put_annotation("status", str(status))
            return status, body

    async def aclose(self) -> None:
        """Close the inner fetcher."""
        await self._inner.aclose()


class AiohttpFetcher:
    """One aiohttp ClientSession, made in the first request's event loop.

    aiohttp is imported on the first request, so a cold start serving /health never pays for it.
    """

    def __init__(self, max_connections: int, keepalive_s: float = 5.0) -> None:
        self._limit = max_connections
        self._keepalive_s = keepalive_s
        self._session: aiohttp.ClientSession | None = None

    async def get(self, url: str, timeouts: Timeouts) -> tuple[int, bytes]:
        """Send one GET and read the whole body, raising httpx's errors for aiohttp's."""
        session = self._client()
        try:
            async with session.get(
                url, allow_redirects=False, timeout=_client_timeout(timeouts)
            ) as response:
                return response.status, await response.read()
        except Exception as exc:
            for source, target in _errors():
                if isinstance(exc, source):
                    raise target(str(exc) or type(exc).__name__) from exc
            raise

    async def aclose(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> "aiohttp.ClientSession":
        if self._session is None:
            import aiohttp

            connector = aiohttp.TCPConnector(limit=self._limit, keepalive_timeout=self._keepalive_s)
            self._session = aiohttp.ClientSession(connector=connector)
        return self._session


def _client_timeout(timeouts: Timeouts) -> "aiohttp.ClientTimeout":
    import aiohttp

    return aiohttp.ClientTimeout(
        connect=timeouts.get("pool"),
        sock_connect=timeouts.get("connect"),
        sock_read=timeouts.get("read"),
    )


@cache
def _errors() -> tuple[tuple[type[BaseException], type[httpx.TransportError]], ...]:
    """aiohttp's errors and the httpx error each stands for, most specific first."""
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

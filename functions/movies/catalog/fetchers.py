"""How the catalog client moves bytes: aiohttp in production, any httpx transport otherwise.

A Fetcher only GETs a URL, never following a redirect, and returns the status and the whole body
(the catalog's answers are small JSON documents, and a dropped body must fail here, not in a
caller), refusing one over the body limit as it arrives. Transport failures are raised as
catalog errors, through the one mapping of each library (movies.catalog.errors).

aiohttp drives production because httpx's client machinery (URL parsing, request building,
auth and redirect flows) cost more per call than aiohttp's whole loopback round trip. Tests
and the `httpx` option use HttpxFetcher with any httpx transport, MockTransport included.
"""

from typing import TYPE_CHECKING, Protocol

from movies.catalog.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from movies.catalog.errors import from_aiohttp, from_httpx
from movies.catalog.timeouts import Timeouts
from movies.lazy import Lazy
from movies.settings import Settings

if TYPE_CHECKING:
    import aiohttp
    import httpx
    from aws_lambda_powertools.tracing.base import BaseProvider


class Fetcher(Protocol):
    """GETs a URL; raises CatalogError subclasses on transport failures."""

    async def get(self, url: str, timeouts: Timeouts) -> tuple[int, bytes]:
        """Return the status code and the whole body."""
        ...

    async def open(self) -> None:
        """Make the pool now, in the running loop, instead of on the first call."""
        ...

    async def aclose(self) -> None:
        """Close the pooled connections."""
        ...


class Traces(Protocol):
    """What TracedFetcher needs of a Powertools Tracer (or of one made on first use)."""

    @property
    def provider(self) -> "BaseProvider":
        """The tracing provider that opens subsegments."""
        ...


def build_fetcher(settings: Settings) -> Fetcher:
    """The process-wide pooled fetcher that `settings` ask for, with explicit pool limits."""
    if settings.catalog_transport == "aiohttp":
        return AiohttpFetcher(settings.catalog_max_connections, settings.catalog_max_body_bytes)
    import httpx  # only this option needs it at start: about 20 ms of a cold start otherwise

    limits = httpx.Limits(
        max_connections=settings.catalog_max_connections,
        max_keepalive_connections=settings.catalog_max_keepalive,
    )
    transport = httpx.AsyncHTTPTransport(limits=limits)
    return HttpxFetcher(transport, settings.catalog_max_body_bytes)


class HttpxFetcher:
    """Drives an httpx transport directly, skipping httpx.AsyncClient's request machinery."""

    def __init__(
        self, transport: "httpx.AsyncBaseTransport", max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    ) -> None:
        self._transport = transport
        self._max_body_bytes = max_body_bytes

    async def get(self, url: str, timeouts: Timeouts) -> tuple[int, bytes]:
        """Send one GET through the transport."""
        import httpx

        extensions = {
            "timeout": {
                "connect": timeouts.connect_s,
                "read": timeouts.read_s,
                "write": timeouts.connect_s,
                "pool": timeouts.pool_s,
            }
        }
        try:
            request = httpx.Request("GET", url, extensions=extensions)
            response = await self._transport.handle_async_request(request)
            try:
                body = BodyLimit(self._max_body_bytes, response.headers.get("content-length"))
                async for chunk in response.aiter_bytes():  # decoded: a zip bomb counts too
                    body.add(chunk)
            finally:
                await response.aclose()
            return response.status_code, body.body()
        except httpx.HTTPError as exc:
            raise from_httpx(exc) from exc

    async def open(self) -> None:
        """Nothing to do: the transport opens connections as calls need them."""

    async def aclose(self) -> None:
        """Close the transport."""
        await self._transport.aclose()


class TracedFetcher:
    """Records each catalog call as an X-Ray subsegment, so upstream time shows in traces."""

    def __init__(self, inner: Fetcher, tracer: Traces) -> None:
        self._inner = inner
        self._tracer = tracer

    async def get(self, url: str, timeouts: Timeouts) -> tuple[int, bytes]:
        """GET through the inner fetcher inside a subsegment."""
        async with self._tracer.provider.in_subsegment_async("## catalog GET") as segment:
            segment.put_metadata("url", url)
            status, body = await self._inner.get(url, timeouts)
            segment.put_annotation("status", str(status))
            return status, body

    async def open(self) -> None:
        """Open the inner fetcher."""
        await self._inner.open()

    async def aclose(self) -> None:
        """Close the inner fetcher."""
        await self._inner.aclose()


class AiohttpFetcher:
    """One aiohttp ClientSession, made in the event loop that first needs it.

    Lazily by default, so a Lambda cold start serving /health never imports aiohttp; a server
    calls `open()` at startup (the app's lifespan) so its first request does not pay for it.
    """

    def __init__(
        self,
        max_connections: int,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        keepalive_s: float = 5.0,
    ) -> None:
        self._limit = max_connections
        self._max_body_bytes = max_body_bytes
        self._keepalive_s = keepalive_s
        self._session: Lazy[aiohttp.ClientSession] = Lazy(self._new_session, "aiohttp session")

    async def get(self, url: str, timeouts: Timeouts) -> tuple[int, bytes]:
        """Send one GET and read the whole body; no redirect is followed."""
        import aiohttp

        session = self._session.get()
        timeout = aiohttp.ClientTimeout(
            connect=timeouts.pool_s, sock_connect=timeouts.connect_s, sock_read=timeouts.read_s
        )
        try:
            async with session.get(url, allow_redirects=False, timeout=timeout) as response:
                body = BodyLimit(self._max_body_bytes, response.content_length)
                async for chunk in response.content.iter_any():
                    body.add(chunk)
                return response.status, body.body()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise from_aiohttp(exc) from exc

    async def open(self) -> None:
        """Import aiohttp and make the session now, in the running loop."""
        self._session.get()

    async def aclose(self) -> None:
        """Close the session and its connections."""
        session = self._session.reset()
        if session is not None:
            await session.close()

    def _new_session(self) -> "aiohttp.ClientSession":
        import aiohttp

        connector = aiohttp.TCPConnector(limit=self._limit, keepalive_timeout=self._keepalive_s)
        return aiohttp.ClientSession(connector=connector)

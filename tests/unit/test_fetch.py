"""Fetchers: the httpx path keeps MockTransport usable and bounds a streamed body, and tracing
records each catalog call."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from movies.catalog.errors import CatalogBadResponse, CatalogUnavailable
from movies.catalog.fetchers import HttpxFetcher, TracedFetcher
from movies.catalog.timeouts import Timeouts

TIMEOUTS = Timeouts(connect_s=1.0, read_s=1.0, pool_s=1.0)
LIMIT = 1_000_000


async def test_httpx_fetcher_passes_url_and_timeouts_to_the_transport() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b'{"ok": true}')

    fetcher = HttpxFetcher(httpx.MockTransport(answer))
    timeouts = Timeouts(connect_s=1.0, read_s=3.0, pool_s=2.0)
    status, body = await fetcher.get("http://catalog.test/movies?limit=2", timeouts)
    assert (status, body) == (200, b'{"ok": true}')
    assert str(seen[0].url) == "http://catalog.test/movies?limit=2"
    assert seen[0].extensions["timeout"] == {"connect": 1.0, "read": 3.0, "write": 1.0, "pool": 2.0}


async def test_httpx_fetcher_raises_the_catalogs_own_errors() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    fetcher = HttpxFetcher(httpx.MockTransport(refuse))
    with pytest.raises(CatalogUnavailable):
        await fetcher.get("http://catalog.test/movies", TIMEOUTS)


async def _stream(size: int) -> AsyncIterator[bytes]:
    for _ in range(size // 65_536 + 1):
        yield b"x" * 65_536


async def test_httpx_fetcher_stops_a_streamed_body_at_the_limit() -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        async for chunk in _stream(10 * LIMIT):
            sent.append(len(chunk))
            yield chunk

    fetcher = HttpxFetcher(
        httpx.MockTransport(lambda _: httpx.Response(200, content=chunks())), LIMIT
    )
    with pytest.raises(CatalogBadResponse, match=f"over {LIMIT} bytes"):
        await fetcher.get("http://catalog.test/movies", TIMEOUTS)
    assert sum(sent) < 2 * LIMIT  # it stopped reading, it did not buffer 10 MB first


class FakeSegment:
    def __init__(self) -> None:
        self.annotations: dict[str, Any] = {}
        self.metadata: dict[str, Any] = {}

    def put_annotation(self, key: str, value: Any) -> None:
        self.annotations[key] = value

    def put_metadata(self, key: str, value: Any) -> None:
        self.metadata[key] = value


class FakeProvider:
    def __init__(self) -> None:
        self.segments: list[tuple[str, FakeSegment]] = []

    @asynccontextmanager
    async def in_subsegment_async(self, name: str):  # type: ignore[no-untyped-def]
        segment = FakeSegment()
        self.segments.append((name, segment))
        yield segment


class FakeTracer:
    def __init__(self) -> None:
        self.provider = FakeProvider()


async def test_traced_fetcher_records_one_subsegment_per_call() -> None:
    inner = HttpxFetcher(httpx.MockTransport(lambda _: httpx.Response(503)))
    tracer = FakeTracer()
    fetcher = TracedFetcher(inner, tracer)  # type: ignore[arg-type]
    assert (await fetcher.get("http://catalog.test/genres", TIMEOUTS))[0] == 503
    ((name, segment),) = tracer.provider.segments
    assert name == "## catalog GET"
    assert segment.annotations == {"status": "503"}
    assert segment.metadata == {"url": "http://catalog.test/genres"}

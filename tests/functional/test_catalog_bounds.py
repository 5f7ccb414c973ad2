"""Every fetcher bounds what the catalog sends: no body past the limit, no redirect followed."""

from collections.abc import AsyncIterator

import httpx
import pytest

from infra.local.processes import HOST, LocalStack, free_port
from infra.local.services import catalog_service
from movies.catalog.errors import CatalogBadResponse
from movies.catalog.fetchers import AiohttpFetcher, HttpxFetcher
from movies.catalog.timeouts import Timeouts
from movies.settings import Settings

TIMEOUTS = Timeouts(connect_s=2.0, read_s=5.0, pool_s=2.0)
LIMIT = 1_000_000


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


async def test_aiohttp_fetcher_against_the_simulator_bounds_bodies_and_follows_no_redirect() -> (
    None
):
    port = free_port()
    with LocalStack([catalog_service(port, 0)]):
        base = f"http://{HOST}:{port}"
        fetcher = AiohttpFetcher(10, max_body_bytes=LIMIT)
        try:
            control = {"huge_body_rate": 1.0, "huge_body_bytes": 3 * LIMIT}
            httpx.put(f"{base}/_control", json=control).raise_for_status()
            with pytest.raises(CatalogBadResponse, match="over"):
                await fetcher.get(f"{base}/movies", TIMEOUTS)
            control = {"huge_body_rate": 0.0, "redirect_rate": 1.0}
            httpx.put(f"{base}/_control", json=control).raise_for_status()
            status, _ = await fetcher.get(f"{base}/movies", TIMEOUTS)
            assert status == 302  # the client sees it and maps it: it never follows
            assert httpx.get(f"{base}/_stats").json()["requests"] == 2
        finally:
            await fetcher.aclose()


@pytest.mark.parametrize(
    ("stage", "url", "valid"),
    [
        ("prod", "https://catalog.example", True),
        ("prod", "http://catalog.example", False),
        ("dev", "http://127.0.0.1:8001", True),
    ],
)
def test_prod_reaches_the_catalog_only_over_https(stage: str, url: str, valid: bool) -> None:
    if valid:
        assert Settings(stage=stage, catalog_url=url).catalog_url == url
    else:
        with pytest.raises(ValueError, match="https"):
            Settings(stage=stage, catalog_url=url)

"""The aiohttp fetcher bounds what the real simulator sends: no body past the limit, no redirect
followed (the httpx fetcher's bound, without a socket: tests/unit/test_fetch.py)."""

import httpx
import pytest

from infra.local.processes import HOST, LocalStack, free_port
from infra.local.services import catalog_service
from movies.catalog.errors import CatalogBadResponse
from movies.catalog.fetchers import AiohttpFetcher
from movies.catalog.timeouts import Timeouts

TIMEOUTS = Timeouts(connect_s=2.0, read_s=5.0, pool_s=2.0)
LIMIT = 1_000_000


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

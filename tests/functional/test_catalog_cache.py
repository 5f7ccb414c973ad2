"""The catalog cache setting through the app: one upstream call when on, one per request if off."""

import asyncio

import httpx
import pytest

from movies.settings import Settings
from tests.support.apps import CATALOG_URL, app_with_fakes
from tests.support.fake_catalog import FakeCatalog


@pytest.mark.parametrize(("ttl", "expected_calls"), [(60.0, 1), (0.0, 20)])
async def test_catalog_cache_setting(ttl: float, expected_calls: int) -> None:

    fake = FakeCatalog(latency_s=0.05)
    app = app_with_fakes(Settings(catalog_url=CATALOG_URL, catalog_cache_ttl_s=ttl), catalog=fake)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as api:
        responses = await asyncio.gather(*(api.get("/movies") for _ in range(20)))
    assert {r.status_code for r in responses} == {200}
    assert len(fake.calls) == expected_calls

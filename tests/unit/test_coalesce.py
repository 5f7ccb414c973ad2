"""The catalog cache: one upstream call for concurrent misses, expiry, and no cached failures."""

import asyncio

from movies.catalog.cache import CoalescingCache


class Upstream:
    def __init__(self, delay_s: float = 0.01) -> None:
        self.calls = 0
        self.delay_s = delay_s
        self.fail = False

    async def fetch(self) -> int:
        self.calls += 1
        await asyncio.sleep(self.delay_s)
        if self.fail:
            raise RuntimeError("upstream down")
        return self.calls


async def test_concurrent_misses_share_one_fetch() -> None:
    cache: CoalescingCache[int] = CoalescingCache(ttl_s=60)
    upstream = Upstream()
    results = await asyncio.gather(*(cache.get("k", upstream.fetch) for _ in range(100)))
    assert results == [1] * 100
    assert upstream.calls == 1


async def test_values_expire_after_the_ttl() -> None:
    cache: CoalescingCache[int] = CoalescingCache(ttl_s=0.05)
    upstream = Upstream(delay_s=0)
    assert await cache.get("k", upstream.fetch) == 1
    assert await cache.get("k", upstream.fetch) == 1
    await asyncio.sleep(0.06)
    assert await cache.get("k", upstream.fetch) == 2


async def test_failures_reach_every_waiter_and_are_not_cached() -> None:
    cache: CoalescingCache[int] = CoalescingCache(ttl_s=60)
    upstream = Upstream()
    upstream.fail = True
    outcomes = await asyncio.gather(
        *(cache.get("k", upstream.fetch) for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(o, RuntimeError) for o in outcomes)
    assert upstream.calls == 1
    upstream.fail = False
    assert await cache.get("k", upstream.fetch) == 2


async def test_keys_are_separate_and_the_oldest_is_evicted() -> None:
    cache: CoalescingCache[str] = CoalescingCache(ttl_s=60, max_entries=2)
    calls: list[str] = []

    def fetcher(key: str):  # type: ignore[no-untyped-def]
        async def fetch() -> str:
            calls.append(key)
            return key

        return fetch

    for key in ("a", "b", "c", "a"):
        assert await cache.get(key, fetcher(key)) == key
    assert calls == ["a", "b", "c", "a"]  # "a" was evicted by "c"


async def test_each_value_may_stay_less_than_the_ttl_never_more() -> None:
    upstream = Upstream(delay_s=0)
    stale: CoalescingCache[int] = CoalescingCache(ttl_s=60, lifetime_s=lambda _: 0.0)
    assert [await stale.get("k", upstream.fetch) for _ in range(2)] == [1, 2]  # never kept
    capped: CoalescingCache[int] = CoalescingCache(ttl_s=0.05, lifetime_s=lambda _: 3600.0)
    assert await capped.get("k", upstream.fetch) == 3
    await asyncio.sleep(0.06)
    assert await capped.get("k", upstream.fetch) == 4  # gone at the TTL, not an hour later

"""A TTL cache that also coalesces: concurrent misses for one key share one upstream call."""

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable


class CoalescingCache[T]:
    """Caches values for `ttl_s` seconds, at most `max_entries`, least recently stored out first.

    A miss starts one fetch; every caller that asks for the same key meanwhile awaits that same
    fetch. Failures are not cached: each waiter sees the exception, and the next call retries.
    `lifetime_s`, if given, says how long each value may stay (at most `ttl_s`): a value read from
    a shared layer stays only as long as it is fresh there.
    """

    def __init__(
        self,
        ttl_s: float,
        max_entries: int = 1024,
        lifetime_s: Callable[[T], float] | None = None,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._lifetime_s = lifetime_s
        self._values: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._inflight: dict[Hashable, asyncio.Future[T]] = {}

    async def get(self, key: Hashable, fetch: Callable[[], Awaitable[T]]) -> T:
        """Return the fresh cached value for `key`, or fetch it once for all concurrent callers."""
        hit = self._values.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await fetch()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waited
            raise
        else:
            future.set_result(value)
            self._store(key, value)
            return value
        finally:
            del self._inflight[key]

    def _store(self, key: Hashable, value: T) -> None:
        lifetime_s = self.ttl_s if self._lifetime_s is None else self._lifetime_s(value)
        self._values[key] = (time.monotonic() + min(self.ttl_s, lifetime_s), value)
        self._values.move_to_end(key)
        while len(self._values) > self.max_entries:
            self._values.popitem(last=False)

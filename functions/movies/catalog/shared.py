"""The catalog cache's shared layer: answers read through a store that every environment sees.

Read-through, stale never served: a request that misses (nothing stored, or stored but expired)
fetches from the catalog itself, stores the answer before it responds, and every environment
then reads that answer until it expires; nothing is refreshed after the response. Refreshing a
stale entry from SQS instead would spare one request per page per TTL the catalog's latency,
but not the bill: the worker would wait on the same catalog call (billed as the API's wait is),
plus the SQS requests and its own invocation, and it would need a catalog client, network
access to the catalog and one refresh message per stale read, deduplicated. On Lambda the
answer must be stored before the response anyway (the environment freezes after it), so
read-through keeps the worker out of the catalog's business for no extra cost.

What is stored is the validated answer as compressed JSON under a key versioned by that format:
a best-rated page of 1,000 movies is about 108 KB of JSON and 17 KB compressed, a few read
units, far below DynamoDB's 400 KB item limit; an answer too large for the store (a catalog
sending huge titles) is served but not stored (CatalogCacheTooLarge). Only answers are stored,
never errors: a failed fetch raises before anything is written.

The layer fails open: a store that fails (or, as its adapter bounds it, takes too long) is
counted (CatalogCacheUnavailable) and logged, and the request goes on to the catalog as it
would without the layer; after a failed read the same request does not try to write.
"""

import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pydantic
from aws_lambda_powertools import Logger

from movies.domain.ports import Counters, SharedCache, SharedEntry
from movies.errors import CacheUnavailable
from movies.settings import Settings

# Part of every key: items stored by code whose models differ must never be read as these.
FORMAT = "v1:"


@dataclass(frozen=True, slots=True)
class Fresh[Value]:
    """A value and how many more seconds it stays fresh."""

    value: Value
    fresh_for_s: float


def shared_layer(
    settings: Settings, store: SharedCache, counters: Counters, logger: Logger
) -> "SharedLayer | None":
    """The shared layer over `store` that `settings` ask for; None if they turn it off (with a
    TTL of 0 the client caches nothing anyway, in either layer)."""
    if not settings.catalog_shared_cache or settings.catalog_cache_ttl_s <= 0:
        return None
    return SharedLayer(store, settings.catalog_cache_ttl_s, counters, logger)


class SharedLayer:
    """Reads catalog answers through `store`, storing each fetched one for `ttl_s`."""

    def __init__(
        self,
        store: SharedCache,
        ttl_s: float,
        counters: Counters,
        logger: Logger,
    ) -> None:
        self._store = store
        self._ttl_s = ttl_s
        self._counters = counters
        self._logger = logger

    async def get[Model: pydantic.BaseModel](
        self, key: str, model: type[Model], fetch: Callable[[], Awaitable[Model]]
    ) -> Fresh[Model]:
        """The stored answer under `key` while fresh, else `fetch()`'s, stored for the others."""
        key = FORMAT + key
        try:
            entry = await self._store.get(key)
        except CacheUnavailable as exc:
            self._unavailable("read", exc)
            return Fresh(await fetch(), self._ttl_s)
        if entry is not None and (stored := self._decode(entry, model)) is not None:
            return stored
        value = await fetch()
        await self._put(key, value, time.time() + self._ttl_s)
        return Fresh(value, self._ttl_s)

    def _decode[Model: pydantic.BaseModel](
        self, entry: SharedEntry, model: type[Model]
    ) -> Fresh[Model] | None:
        try:
            value = model.model_validate_json(zlib.decompress(entry.value))
        except (zlib.error, pydantic.ValidationError):
            # Written by other code, or damaged: fetched again and overwritten.
            self._counters.increment("CatalogCacheUnreadable")
            return None
        return Fresh(value, entry.expires_at - time.time())

    async def _put(self, key: str, value: pydantic.BaseModel, expires_at: float) -> None:
        body = zlib.compress(value.model_dump_json().encode())
        if len(body) > self._store.max_value_bytes:
            self._counters.increment("CatalogCacheTooLarge")
            return
        try:
            await self._store.put(key, body, expires_at)
        except CacheUnavailable as exc:
            self._unavailable("write", exc)

    def _unavailable(self, action: str, exc: CacheUnavailable) -> None:
        self._counters.increment("CatalogCacheUnavailable")
        self._logger.warning("shared cache skipped", extra={"action": action, "reason": str(exc)})

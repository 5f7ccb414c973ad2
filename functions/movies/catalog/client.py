"""The async catalog client: one pooled fetcher per process, shared by every request."""

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from urllib.parse import urlencode

import pydantic

from movies.catalog.cache import CoalescingCache
from movies.catalog.fetchers import Fetcher, build_fetcher
from movies.catalog.parsing import movie_query, parse_catalog_response
from movies.catalog.shared import Fresh, SharedLayer
from movies.catalog.timeouts import Timeouts
from movies.domain.models import Movie, MoviePage
from movies.settings import Settings

# The catalog's largest page, and its order for "best-rated first".
CATALOG_PAGE_MAX = 1000
BEST_RATED = "-rating"


def build_catalog(
    settings: Settings, fetcher: Fetcher | None = None, shared: SharedLayer | None = None
) -> "CatalogClient":
    """The catalog client `settings` describe, over `fetcher` or the pooled one they ask for,
    reading through `shared` (every environment's cache) behind its own."""
    return CatalogClient(settings, fetcher or build_fetcher(settings), shared)


class CatalogClient:
    """Reads movies from the catalog service without blocking the event loop.

    With a TTL, answers are cached in two layers: this process's (concurrent misses coalesced
    into one call), and in front of the catalog the shared layer, if given, where one
    environment's fetch serves every other until it expires.
    """

    def __init__(
        self, settings: Settings, fetcher: Fetcher, shared: SharedLayer | None = None
    ) -> None:
        self._fetcher = fetcher
        self._base_url = settings.catalog_url.rstrip("/")
        self._timeouts = Timeouts.from_settings(settings)
        self._ttl_s = settings.catalog_cache_ttl_s
        self._shared = shared
        # A value stays in process only while it is fresh in the shared layer too.
        self._cache: CoalescingCache[Fresh[Any]] | None = (
            CoalescingCache(self._ttl_s, lifetime_s=lambda fresh: fresh.fresh_for_s)
            if self._ttl_s > 0
            else None
        )

    async def list_movies(self, genre: str | None, limit: int, offset: int) -> MoviePage:
        """Return one page of movies, optionally of one genre."""
        return await self._get("/movies", MoviePage, movie_query(genre, limit, offset))

    async def get_movie(self, movie_id: int) -> Movie:
        """Return one movie; MovieNotFound if the catalog does not know it."""
        return await self._get(f"/movies/{movie_id}", Movie, lookup=True)

    async def best_rated(self, genre: str | None, limit: int) -> list[Movie]:
        """The catalog's `limit` best-rated movies, optionally of one genre: one call whatever
        the catalog's size (`limit` is capped at the catalog's largest page)."""
        query = movie_query(genre, min(limit, CATALOG_PAGE_MAX), 0)
        page = await self._get("/movies", MoviePage, {**query, "sort": BEST_RATED})
        return page.items

    async def open(self) -> None:
        """Make the pooled connections' client now (a server's startup), not on the first call."""
        await self._fetcher.open()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._fetcher.aclose()

    async def _get[Model: pydantic.BaseModel](
        self,
        path: str,
        model: type[Model],
        params: dict[str, str | int] | None = None,
        *,
        lookup: bool = False,
    ) -> Model:
        if self._cache is None:
            return await self._fetch(path, model, params, lookup=lookup)
        key = f"{path}?{urlencode(sorted(params.items()))}" if params else path
        fetch = partial(self._fetch, path, model, params, lookup=lookup)
        fresh = await self._cache.get(key, lambda: self._fresh(key, model, fetch))
        value = fresh.value
        assert isinstance(value, model)
        return value

    async def _fresh[Model: pydantic.BaseModel](
        self, key: str, model: type[Model], fetch: Callable[[], Awaitable[Model]]
    ) -> Fresh[Model]:
        if self._shared is None:
            return Fresh(await fetch(), self._ttl_s)
        return await self._shared.get(key, model, fetch)

    async def _fetch[Model: pydantic.BaseModel](
        self,
        path: str,
        model: type[Model],
        params: dict[str, str | int] | None,
        *,
        lookup: bool,
    ) -> Model:
        url = f"{self._base_url}{path}?{urlencode(params)}" if params else self._base_url + path
        status, content = await self._fetcher.get(url, self._timeouts)
        return parse_catalog_response(status, content, model, lookup=lookup)

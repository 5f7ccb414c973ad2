"""Baselines served like the API: a bare constant route and the /movies proxy on aiohttp.

`GET /constant` is what /health costs without the API's middleware; `GET /aiohttp-movies` is the
/movies proxy with one shared aiohttp.ClientSession (made in lifespan) instead of httpx, and no
middleware. Served under uvicorn with the API's flags (infra.bench.harness.stacks.baseline_service),
which puts functions/ on the path for the `movies` imports.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI, HTTPException, Request

from movies.api.params import Genre, Limit, Offset
from movies.domain.models import MoviePage

_CONSTANT = {"status": "ok"}


def create_app() -> FastAPI:
    """The baseline app; the catalog is CATALOG_URL, pooled like the API's (1000 connections)."""
    catalog_url = os.environ.get("CATALOG_URL", "http://127.0.0.1:8001").rstrip("/")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        connector = aiohttp.TCPConnector(limit=1000, limit_per_host=1000)
        timeout = aiohttp.ClientTimeout(total=None, connect=2, sock_read=10)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            app.state.session = session
            yield

    app = FastAPI(title="bench baselines", lifespan=lifespan, openapi_url=None)

    @app.get("/constant")
    async def constant() -> dict[str, str]:
        return _CONSTANT

    @app.get("/aiohttp-movies")
    async def aiohttp_movies(
        request: Request,
        genre: Genre = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> MoviePage:
        params: dict[str, str | int] = {"limit": limit, "offset": offset}
        if genre:
            params["genre"] = genre
        session: aiohttp.ClientSession = request.app.state.session
        try:
            async with session.get(f"{catalog_url}/movies", params=params) as response:
                body = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise HTTPException(502, "catalog unreachable") from exc
        if response.status != 200:
            raise HTTPException(502, f"catalog answered {response.status}")
        return MoviePage.model_validate_json(body)

    return app

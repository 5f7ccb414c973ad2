"""The app factory: one FastAPI app for Lambda, uvicorn and tests; only the collaborators differ."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aws_lambda_powertools import Logger
from fastapi import FastAPI

from movies.api.deps import Services
from movies.api.error_handlers import install_error_handlers
from movies.api.middleware.access_log import AccessLog, RequestObserver
from movies.api.middleware.edge import EdgeMiddleware
from movies.api.middleware.public_cache import public_cache_control
from movies.api.routes import docs, health, movies, ratings, recommendations, root
from movies.catalog.blocking import BlockingCatalogClient
from movies.catalog.client import CatalogClient
from movies.domain.ports import Counters, IdempotencyStore, RateLimiter, RatingStore, TaskQueue
from movies.settings import Settings


def create_app(
    settings: Settings,
    *,
    catalog: CatalogClient,
    blocking_catalog: BlockingCatalogClient,
    ratings_store: RatingStore,
    queue: TaskQueue,
    logger: Logger,
    counters: Counters,
    limiter: RateLimiter,
    idempotency: IdempotencyStore,
    observers: tuple[RequestObserver, ...] = (),
) -> FastAPI:
    """Build the app around ready-made collaborators, shared by every request it serves.

    movies.main builds them from Settings for uvicorn and Lambda; tests pass fakes.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # A server (uvicorn) opens the pool before its first request; on Lambda, Mangum runs
        # with lifespan="off" and the pool stays lazy, so a cold /health never imports aiohttp.
        await catalog.open()
        yield
        await catalog.aclose()
        blocking_catalog.close()

    app = FastAPI(
        title="Movie API",
        summary="Movie recommendations over a slow catalog, without blocking.",
        version="0.1.0",
        lifespan=lifespan,
        # FastAPI's own /docs and /redoc load their files from a CDN: movies.api.routes.docs
        # serves them instead, when the docs are on.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.docs_enabled else None,
        # Traces go to X-Ray through Powertools. FastAPI's own OpenTelemetry, even with no
        # provider set, looks the global providers up on every request: about 3 µs of each.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.services = Services(
        catalog, blocking_catalog, ratings_store, queue, logger, counters, limiter, idempotency
    )
    for module in (root, health, movies, ratings, recommendations):
        app.include_router(module.router)
    if settings.docs_enabled:
        app.include_router(docs.router)
    install_error_handlers(app)
    app.add_middleware(
        EdgeMiddleware,
        access_log=AccessLog(logger, observers),
        deadline_s=settings.request_deadline_s,
        cache_control=public_cache_control(
            settings.public_max_age_s, settings.public_stale_while_revalidate_s
        ),
    )
    return app

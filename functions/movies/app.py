"""The app factory: one FastAPI app for Lambda, uvicorn and tests; only the adapters differ."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import requests
from aws_lambda_powertools import Logger
from fastapi import FastAPI

from movies.blocking import BlockingCatalogClient
from movies.catalog import CatalogClient, build_http_client
from movies.deadline import DeadlineMiddleware
from movies.error_handlers import install_error_handlers
from movies.observability import build_logger
from movies.ratings import InMemoryRatingStore, RatingStore
from movies.routes import health, movies, recommendations
from movies.settings import Settings
from movies.timing import RequestObserver, TimingMiddleware


def create_app(
    settings: Settings | None = None,
    *,
    catalog_transport: httpx.AsyncBaseTransport | None = None,
    blocking_session: requests.Session | None = None,
    ratings: RatingStore | None = None,
    logger: Logger | None = None,
    observers: tuple[RequestObserver, ...] = (),
) -> FastAPI:
    """Build the app; clients are created here, once, and reused by every request."""
    settings = settings or Settings()
    catalog = CatalogClient(build_http_client(settings, catalog_transport))
    blocking_catalog = BlockingCatalogClient(settings, blocking_session)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await catalog.aclose()
        blocking_catalog.close()

    app = FastAPI(
        title="Movie API",
        summary="Movie recommendations over a slow catalog, without blocking.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.blocking_catalog = blocking_catalog
    app.state.ratings = ratings if ratings is not None else InMemoryRatingStore()
    for module in (health, movies, recommendations):
        app.include_router(module.router)
    install_error_handlers(app)
    # Added last means outermost: timing sees the deadline's 504 and sets the request id it uses.
    app.add_middleware(DeadlineMiddleware, deadline_s=settings.request_deadline_s)
    app.add_middleware(
        TimingMiddleware, logger=logger or build_logger(settings.log_file), observers=observers
    )
    return app

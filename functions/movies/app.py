"""The app factory: one FastAPI app for Lambda, uvicorn and tests; only the adapters differ."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import httpx
from aws_lambda_powertools import Logger
from fastapi import FastAPI

from movies.blocking import BlockingCatalogClient
from movies.catalog import CatalogClient, build_fetcher
from movies.counters import Counters, InProcessCounters
from movies.error_handlers import install_error_handlers
from movies.fetch import Fetcher, HttpxFetcher
from movies.guard import GuardMiddleware
from movies.observability import build_logger
from movies.queue import TaskQueue
from movies.ratings import RatingStore
from movies.routes import health, movies, ratings, recommendations
from movies.settings import Settings
from movies.timing import RequestObserver, TimingMiddleware

if TYPE_CHECKING:
    import requests
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient


def create_app(
    settings: Settings | None = None,
    *,
    catalog_transport: httpx.AsyncBaseTransport | None = None,
    catalog_fetcher: Fetcher | None = None,
    blocking_session: "requests.Session | None" = None,
    ratings_store: RatingStore | None = None,
    queue: TaskQueue | None = None,
    logger: Logger | None = None,
    observers: tuple[RequestObserver, ...] = (),
    counters: Counters | None = None,
) -> FastAPI:
    """Build the app; clients are created here, once, and reused by every request.

    The catalog is reached through `catalog_fetcher`, else through `catalog_transport` (any
    httpx transport: tests pass httpx.MockTransport), else as `settings` say (aiohttp).

    Without an injected store or queue, the DynamoDB table and the SQS queue named in
    `settings` are used (moto's endpoint locally, through AWS_ENDPOINT_URL).
    """
    settings = settings or Settings()
    logger = logger or build_logger(settings.log_file)
    fetcher = catalog_fetcher or (
        HttpxFetcher(catalog_transport) if catalog_transport else build_fetcher(settings)
    )
    catalog = CatalogClient(settings, fetcher)
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
    app.state.logger = logger
    app.state.catalog = catalog
    app.state.blocking_catalog = blocking_catalog
    app.state.ratings = ratings_store or _dynamodb_store(settings)
    app.state.queue = queue or _sqs_queue(settings)
    app.state.counters = counters or InProcessCounters()
    for module in (health, movies, ratings, recommendations):
        app.include_router(module.router)
    install_error_handlers(app)
    # Added last means outermost: timing sees the guard's answers and sets the request id it uses.
    app.add_middleware(GuardMiddleware, deadline_s=settings.request_deadline_s)
    app.add_middleware(TimingMiddleware, logger=logger, observers=observers)
    return app


def _dynamodb_store(settings: Settings) -> RatingStore:
    from movies.table import DynamoRatingStore

    def client() -> "DynamoDBClient":
        from movies.aws import dynamodb_client  # boto3 on first use: a faster cold start

        return dynamodb_client(settings)

    return DynamoRatingStore(client, settings.table_name)


def _sqs_queue(settings: Settings) -> TaskQueue:
    from movies.queue import SqsTaskQueue

    def client() -> "SQSClient":
        from movies.aws import sqs_client  # boto3 on first use: a faster cold start

        return sqs_client(settings)

    return SqsTaskQueue(client, settings.queue_url)

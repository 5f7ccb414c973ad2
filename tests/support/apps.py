"""The real app with fakes behind its ports: the catalog faked at the transport, AWS in memory."""

from aws_lambda_powertools import Logger
from fastapi import FastAPI
from starlette.types import ASGIApp

from infra.gateway.app import template_routes
from infra.gateway.edge import LocalGateway
from movies.api.app import create_app
from movies.api.limits import request_limits
from movies.api.middleware.access_log import RequestObserver
from movies.catalog.blocking import BlockingCatalogClient
from movies.catalog.client import build_catalog
from movies.catalog.fetchers import Fetcher, HttpxFetcher
from movies.catalog.shared import shared_layer
from movies.domain.ports import (
    Counters,
    IdempotencyStore,
    RateLimiter,
    RatingStore,
    SharedCache,
    TaskQueue,
)
from movies.observability import InProcessCounters
from movies.settings import Settings
from tests.support.fake_catalog import FakeCatalog
from tests.support.fakes import (
    InMemoryIdempotencyStore,
    InMemoryRateLimiter,
    InMemoryRatingStore,
    InMemoryTaskQueue,
)
from tests.support.tokens import AUTHORIZER

CATALOG_URL = "http://catalog.test"
ROUTES = template_routes()


def app_with_fakes(
    settings: Settings | None = None,
    *,
    catalog: FakeCatalog | None = None,
    fetcher: Fetcher | None = None,
    ratings: RatingStore | None = None,
    queue: TaskQueue | None = None,
    logger: Logger | None = None,
    counters: Counters | None = None,
    limiter: RateLimiter | None = None,
    shared_cache: SharedCache | None = None,
    idempotency: IdempotencyStore | None = None,
    observers: tuple[RequestObserver, ...] = (),
) -> FastAPI:
    """Build the app as production does, with a fake (or given) piece behind every port.

    `fetcher` replaces the fake catalog for the async client (a real pool, say). Without a
    `shared_cache` the catalog cache (if `settings` turn it on) is this process's only.
    """
    settings = settings or Settings(catalog_url=CATALOG_URL)
    catalog = catalog or FakeCatalog()
    logger = logger or Logger(service="movie-api-test")
    counters = counters or InProcessCounters()
    shared = shared_layer(settings, shared_cache, counters, logger) if shared_cache else None
    return create_app(
        settings,
        catalog=build_catalog(settings, fetcher or HttpxFetcher(catalog.transport()), shared),
        blocking_catalog=BlockingCatalogClient(settings, catalog.session()),
        ratings_store=ratings or InMemoryRatingStore(),
        queue=queue or InMemoryTaskQueue(),
        logger=logger,
        counters=counters,
        limiter=limiter or InMemoryRateLimiter(request_limits(settings)),
        idempotency=idempotency or InMemoryIdempotencyStore(),
        observers=observers,
    )


def behind_test_gateway(app: FastAPI) -> ASGIApp:
    """`app` behind the local API Gateway checks, trusting the test issuer's tokens."""
    return LocalGateway(app, ROUTES, AUTHORIZER)

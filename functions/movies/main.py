"""The composition root: every collaborator built from Settings, then the app around them.

`uvicorn movies.main:build_app --factory` serves it locally; handlers.api builds it on Lambda
with its own logger, metrics and traced fetcher.
"""

from aws_lambda_powertools import Logger
from fastapi import FastAPI

from movies.api.app import create_app
from movies.api.limits import request_limits
from movies.api.middleware.access_log import RequestObserver
from movies.aws.factories import build_table_adapters, build_task_queue
from movies.catalog.blocking import BlockingCatalogClient
from movies.catalog.client import build_catalog
from movies.catalog.fetchers import Fetcher
from movies.catalog.shared import shared_layer
from movies.domain.ports import Counters, TaskQueue
from movies.observability import InProcessCounters, build_logger
from movies.settings import Settings


def build_app(
    settings: Settings | None = None,
    *,
    fetcher: Fetcher | None = None,
    queue: TaskQueue | None = None,
    logger: Logger | None = None,
    counters: Counters | None = None,
    observers: tuple[RequestObserver, ...] = (),
) -> FastAPI:
    """The app as deployed: the catalog, table and queue that `settings` name.

    Each keyword replaces one production piece where a place needs its own (a traced fetcher
    and EMF counters on Lambda, a fault-injecting queue in the soak).
    """
    settings = settings or Settings()
    table = build_table_adapters(settings, request_limits(settings))
    logger = logger or build_logger(settings.log_file)
    counters = counters or InProcessCounters()
    shared = shared_layer(settings, table.cache, counters, logger)
    return create_app(
        settings,
        catalog=build_catalog(settings, fetcher, shared),
        blocking_catalog=BlockingCatalogClient(settings),
        ratings_store=table.store,
        queue=queue or build_task_queue(settings),
        logger=logger,
        counters=counters,
        limiter=table.limiter,
        idempotency=table.idempotency,
        observers=observers,
    )

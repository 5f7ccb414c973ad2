"""Fixtures: the real app with the catalog faked at the transport and an in-memory rating store,
and `aws`, the template's queues and table on moto, for tests that put the real adapters behind it.

Every functional test runs four ways: in-process ASGI behind the local gateway, and through the
Lambda handler with an HTTP API (payload 2.0) event, with a REST API (payload 1.0) event under
a /Prod stage prefix, and with a 2.0 event through a custom domain's /v1 mapping key, each
authorized first as API Gateway would (infra/gateway, the template's routes, tokens of the test
issuer in tests/support/tokens.py).
"""

from collections.abc import AsyncIterator, Iterator
from functools import partial

import httpx
import pytest
from aws_lambda_powertools import Logger, Metrics, Tracer
from fastapi import FastAPI

from handlers.mangum_handler import lambda_handler
from infra.gateway.edge import authorize_event
from infra.gateway.events import Flavour
from movies.api.limits import request_limits
from movies.observability import InProcessCounters
from movies.settings import Settings
from tests.support import apps
from tests.support.apps import CATALOG_URL, app_with_fakes, behind_test_gateway
from tests.support.fake_catalog import FakeCatalog
from tests.support.fakes import (
    InMemoryIdempotencyStore,
    InMemoryRateLimiter,
    InMemoryRatingStore,
    InMemoryTaskQueue,
)
from tests.support.lambda_transport import LambdaTransport
from tests.support.tokens import AUTHORIZER
from tests.support.worker_aws import Aws, moto_aws

GATEWAY = "https://abc123.execute-api.us-east-1.amazonaws.com"
# base URL, and for the Lambda paths: payload flavour, stage, custom domain mapping key.
PATHS: dict[str, tuple[str, tuple[Flavour, str, str] | None]] = {
    "asgi": ("http://api.test", None),
    "lambda-v2": (GATEWAY, ("v2", "$default", "")),
    "lambda-v1": (f"{GATEWAY}/Prod", ("v1", "Prod", "")),
    # A custom domain whose API mapping key v1 maps to the dev stage: the key stays in the path.
    "lambda-v2-domain": ("https://api.example.com/v1", ("v2", "dev", "v1")),
}


@pytest.fixture
def aws() -> Iterator[Aws]:
    """The template's queues and table on moto, in-process."""
    with moto_aws() as resources:
        yield resources


@pytest.fixture
def fake_catalog() -> FakeCatalog:
    return FakeCatalog()


@pytest.fixture
def ratings() -> InMemoryRatingStore:
    return InMemoryRatingStore()


@pytest.fixture
def queue() -> InMemoryTaskQueue:
    return InMemoryTaskQueue()


@pytest.fixture
def counters() -> InProcessCounters:
    return InProcessCounters()


@pytest.fixture
def settings() -> Settings:
    return Settings(catalog_url=CATALOG_URL, request_deadline_s=1.0)


@pytest.fixture
def logger() -> Logger:
    return Logger(service="movie-api-test")


@pytest.fixture
def limiter(settings: Settings) -> InMemoryRateLimiter:
    return InMemoryRateLimiter(request_limits(settings))


@pytest.fixture
def idempotency() -> InMemoryIdempotencyStore:
    return InMemoryIdempotencyStore()


@pytest.fixture
def app(
    settings: Settings,
    fake_catalog: FakeCatalog,
    ratings: InMemoryRatingStore,
    queue: InMemoryTaskQueue,
    logger: Logger,
    counters: InProcessCounters,
    limiter: InMemoryRateLimiter,
    idempotency: InMemoryIdempotencyStore,
) -> FastAPI:
    return app_with_fakes(
        settings,
        catalog=fake_catalog,
        ratings=ratings,
        queue=queue,
        logger=logger,
        counters=counters,
        limiter=limiter,
        idempotency=idempotency,
    )


@pytest.fixture(params=list(PATHS))
async def api(
    app: FastAPI, logger: Logger, request: pytest.FixtureRequest
) -> AsyncIterator[httpx.AsyncClient]:
    base_url, lambda_path = PATHS[request.param]
    transport: httpx.AsyncBaseTransport
    if lambda_path is None:
        transport = httpx.ASGITransport(app=behind_test_gateway(app))
    else:
        flavour, stage, base_path = lambda_path
        handler = lambda_handler(app, logger, Metrics(), Tracer(disabled=True), base_path)
        gateway = partial(authorize_event, apps.ROUTES, AUTHORIZER, base_path=base_path)
        transport = LambdaTransport(handler, flavour, stage, gateway)
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        yield client

"""Fixtures: the real app with the catalog faked at the transport and an in-memory rating store."""

from collections.abc import AsyncIterator

import httpx
import pytest
from aws_lambda_powertools import Logger
from fastapi import FastAPI
from tests.support.fake_catalog import FakeCatalog

from movies.app import create_app
from movies.ratings import InMemoryRatingStore
from movies.settings import Settings


@pytest.fixture
def fake_catalog() -> FakeCatalog:
    return FakeCatalog()


@pytest.fixture
def ratings() -> InMemoryRatingStore:
    return InMemoryRatingStore()


@pytest.fixture
def settings() -> Settings:
    return Settings(catalog_url="http://catalog.test", request_deadline_s=1.0)


@pytest.fixture
def app(settings: Settings, fake_catalog: FakeCatalog, ratings: InMemoryRatingStore) -> FastAPI:
    return create_app(
        settings,
        catalog_transport=fake_catalog.transport(),
        blocking_session=fake_catalog.session(),
        ratings=ratings,
        logger=Logger(service="movie-api-test"),
    )


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield client

"""The catalog cache every environment shares: apps with their own in-process caches over one
moto table, counting the fake catalog's calls; expiry, DynamoDB faults (fail open), errors."""

import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError, ReadTimeoutError
from fastapi import FastAPI
from moto import mock_aws

from infra.catalog_sim.data import generate_movies
from infra.local.aws_env import CREDENTIALS, REGION, client
from infra.local.resources import create_resources
from movies.aws.cache import DynamoSharedCache
from movies.aws.table import CACHE_PREFIX
from movies.catalog.client import CATALOG_PAGE_MAX
from movies.catalog.fetchers import HttpxFetcher
from movies.catalog.shared import FORMAT, SharedLayer
from movies.domain.models import MoviePage, Rating
from movies.main import build_app
from movies.observability import InProcessCounters
from movies.settings import Settings
from tests.support.apps import CATALOG_URL, app_with_fakes, behind_test_gateway
from tests.support.fake_catalog import FakeCatalog, decode
from tests.support.fakes import InMemoryRatingStore, InMemoryTaskQueue
from tests.support.tokens import bearer

TTL_S = 300.0
GENRE_PAGE = "/movies?genre=Comedy&limit=5&offset=0"
# Generous, so that a slow machine never turns a moto call into a timeout; the stall test
# sets its own.
TIMEOUT_S = 5.0
SCI_FI, COMEDY, DRAMA = 1, 2, 6  # FakeCatalog's movies of one genre each


@dataclass
class Table:
    """The template's table on moto, and the catalog answers stored in it."""

    dynamodb: Any
    name: str

    def cached(self) -> dict[str, dict[str, Any]]:
        """Every stored catalog answer by its partition key."""
        items = self.dynamodb.scan(TableName=self.name)["Items"]
        return {i["pk"]["S"]: i for i in items if i["pk"]["S"].startswith(CACHE_PREFIX)}


@pytest.fixture
def table() -> Iterator[Table]:
    with mock_aws():
        dynamodb = client("dynamodb")
        yield Table(dynamodb, create_resources(client("sqs"), dynamodb).table_name)


@dataclass
class Deployment:
    """Lambda environments of one deployment: each its own app, in-process cache and counters,
    all reading the one catalog and the one table."""

    table: Table
    catalog: FakeCatalog = field(default_factory=FakeCatalog)
    ratings: InMemoryRatingStore = field(default_factory=InMemoryRatingStore)

    def environment(
        self,
        dynamodb: Any = None,
        counters: InProcessCounters | None = None,
        timeout_s: float = TIMEOUT_S,
    ) -> FastAPI:
        """A new environment; `dynamodb` replaces its client (a faulty one)."""
        return app_with_fakes(
            Settings(catalog_url=CATALOG_URL, catalog_cache_ttl_s=TTL_S),
            catalog=self.catalog,
            ratings=self.ratings,
            counters=counters,
            shared_cache=store(self.table, dynamodb, timeout_s),
        )


def store(table: Table, dynamodb: Any = None, timeout_s: float = TIMEOUT_S) -> DynamoSharedCache:
    """The shared cache on `table`, through `dynamodb` if given (a faulty client)."""
    return DynamoSharedCache(lambda: dynamodb or table.dynamodb, table.name, timeout_s)


@pytest.fixture
def deployment(table: Table) -> Deployment:
    return Deployment(table)


async def get(app: FastAPI, path: str, user: str | None = None) -> httpx.Response:
    """One request to `app` through the local gateway, as `user` if given."""
    transport = httpx.ASGITransport(app=behind_test_gateway(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as api:
        return await api.get(path, headers=bearer(user) if user else None)


# --- one fetch serves every environment -------------------------------------------------------


@pytest.mark.parametrize("path", [GENRE_PAGE, "/movies/3"])
async def test_one_fetch_serves_eleven_other_environments(
    deployment: Deployment, path: str
) -> None:
    first = await get(deployment.environment(), path)
    assert first.status_code == 200
    assert len(deployment.catalog.calls) == 1
    for _ in range(11):
        again = await get(deployment.environment(), path)
        assert again.status_code == 200
        assert decode(again) == decode(first)
    assert len(deployment.catalog.calls) == 1  # no further catalog call, from any of them
    assert list(deployment.table.cached()) == [CACHE_PREFIX + FORMAT + path]


async def test_the_stored_expiry_is_honoured_while_the_item_remains(
    deployment: Deployment,
) -> None:
    await get(deployment.environment(), GENRE_PAGE)
    [key] = deployment.table.cached()
    # DynamoDB's TTL has not deleted the item yet (it may take days): it is expired all the same.
    expired = str(int(time.time()) - 1)
    deployment.table.dynamodb.update_item(
        TableName=deployment.table.name,
        Key={"pk": {"S": key}, "sk": {"S": "ANSWER"}},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": expired}},
    )
    assert (await get(deployment.environment(), GENRE_PAGE)).status_code == 200
    assert len(deployment.catalog.calls) == 2  # fetched again
    stored = int(deployment.table.cached()[key]["expires_at"]["N"])
    assert time.time() + TTL_S - 5 < stored <= time.time() + TTL_S  # and replaced, fresh
    assert (await get(deployment.environment(), GENRE_PAGE)).status_code == 200
    assert len(deployment.catalog.calls) == 2


async def test_the_app_as_built_for_lambda_and_uvicorn_reads_through_the_table(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {"AWS_DEFAULT_REGION": REGION, **CREDENTIALS}.items():
        monkeypatch.setenv(name, value)  # what boto3 needs to reach moto in-process
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    catalog = FakeCatalog()

    def deployed(**settings: Any) -> FastAPI:
        return build_app(
            Settings(catalog_url=CATALOG_URL, table_name=table.name, **settings),
            fetcher=HttpxFetcher(catalog.transport()),
            queue=InMemoryTaskQueue(),
        )

    for _ in range(2):
        assert (await get(deployed(catalog_cache_ttl_s=TTL_S), GENRE_PAGE)).status_code == 200
    assert len(catalog.calls) == 1
    # The shared layer turned off (the cached benchmark), or the cache (TTL 0): each fetches.
    await get(deployed(catalog_cache_ttl_s=TTL_S, catalog_shared_cache=False), GENRE_PAGE)
    await get(deployed(catalog_cache_ttl_s=0), GENRE_PAGE)
    assert len(catalog.calls) == 3


# --- failures: DynamoDB's fail open, the catalog's are never stored ---------------------------


class FaultyDynamoDB:
    """The moto client, but `operation` fails with `fault`: an error DynamoDB returns, a read
    timeout, or a stall that lasts until released (past the cache's timeout)."""

    def __init__(self, inner: Any, operation: str, fault: str) -> None:
        self.inner, self.operation, self.fault = inner, operation, fault
        self.called: list[str] = []
        self.release = threading.Event()

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.inner, name)

        def call(**kwargs: Any) -> Any:
            self.called.append(name)
            if name == self.operation and self.fault == "error":
                error = {"Code": "InternalServerError", "Message": "injected"}
                raise ClientError({"Error": error}, name)
            if name == self.operation and self.fault == "timeout":
                raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")
            if name == self.operation and self.fault == "stall":
                self.release.wait(30)
            return real(**kwargs)

        return call


@pytest.mark.parametrize("fault", ["error", "timeout", "stall"])
@pytest.mark.parametrize("operation", ["get_item", "put_item"])
async def test_a_failing_table_fails_open_and_is_counted(
    deployment: Deployment, operation: str, fault: str
) -> None:
    faulty = FaultyDynamoDB(deployment.table.dynamodb, operation, fault)
    counters = InProcessCounters()
    # A stall lasts until released: past this timeout, however slow the machine.
    app = deployment.environment(faulty, counters, timeout_s=1.0)
    try:
        response = await get(app, GENRE_PAGE)
    finally:
        faulty.release.set()
    assert response.status_code == 200
    assert [m["id"] for m in decode(response)["items"]] == [COMEDY, 4]
    assert len(deployment.catalog.calls) == 1
    assert counters.counts["CatalogCacheUnavailable"] == 1
    assert operation in faulty.called
    if operation == "get_item":
        assert "put_item" not in faulty.called  # a table that just failed is not written to


async def test_making_the_client_is_not_counted_against_the_timeout(table: Table) -> None:
    def slow_client() -> Any:
        time.sleep(0.5)  # boto3's import and client creation, once per environment
        return table.dynamodb

    await store(table).put("/movies", b"cached", time.time() + TTL_S)
    entry = await DynamoSharedCache(slow_client, table.name, timeout_s=0.25).get("/movies")
    assert entry is not None
    assert entry.value == b"cached"


@pytest.mark.parametrize(
    ("path", "fault", "status"),
    [(GENRE_PAGE, "5xx", 502), (GENRE_PAGE, "invalid_json", 502), ("/movies/3", "404", 404)],
)
async def test_catalog_errors_are_never_stored(
    deployment: Deployment, path: str, fault: str, status: int
) -> None:
    app = deployment.environment()
    deployment.catalog.fault = fault
    assert (await get(app, path)).status_code == status
    assert deployment.table.cached() == {}
    deployment.catalog.fault = None
    assert (await get(app, path)).status_code == 200
    assert len(deployment.catalog.calls) == 2  # nor kept in process
    assert len(deployment.table.cached()) == 1


async def test_an_unreadable_entry_is_counted_fetched_again_and_replaced(
    deployment: Deployment,
) -> None:
    key = CACHE_PREFIX + FORMAT + GENRE_PAGE
    deployment.table.dynamodb.put_item(
        TableName=deployment.table.name,
        Item={
            "pk": {"S": key},
            "sk": {"S": "ANSWER"},
            "body": {"B": b"not zlib"},
            "expires_at": {"N": str(int(time.time() + TTL_S))},
        },
    )
    counters = InProcessCounters()
    response = await get(deployment.environment(counters=counters), GENRE_PAGE)
    assert response.status_code == 200
    assert counters.counts["CatalogCacheUnreadable"] == 1
    assert len(deployment.catalog.calls) == 1
    body = deployment.table.cached()[key]["body"]["B"]
    assert MoviePage.model_validate_json(zlib.decompress(body)) == MoviePage(**decode(response))


# --- item size ---------------------------------------------------------------------------------


async def test_the_catalogs_largest_page_is_stored_and_read_by_another_environment(
    table: Table,
) -> None:
    movies = sorted(generate_movies(5_000), key=lambda m: -float(m["rating"]))
    page = MoviePage(items=movies[:CATALOG_PAGE_MAX], total=5_000, limit=1000, offset=0)
    calls: list[str] = []

    async def fetch() -> MoviePage:
        calls.append("fetch")
        return page

    def layer() -> SharedLayer:
        return SharedLayer(store(table), TTL_S, InProcessCounters(), Logger(service="t"))

    await layer().get("/movies?limit=1000", MoviePage, fetch)
    read = await layer().get("/movies?limit=1000", MoviePage, fetch)
    assert read.value == page
    assert calls == ["fetch"]
    [item] = table.cached().values()
    assert len(item["body"]["B"]) < DynamoSharedCache.max_value_bytes // 10


async def test_an_answer_too_large_for_an_item_is_served_not_stored(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DynamoSharedCache, "max_value_bytes", 64)
    counters = InProcessCounters()
    response = await get(deployment.environment(counters=counters), GENRE_PAGE)
    assert response.status_code == 200
    assert counters.counts["CatalogCacheTooLarge"] == 1
    assert deployment.table.cached() == {}


async def test_the_largest_value_fits_a_dynamodb_item_with_a_long_key(table: Table) -> None:
    cache = store(table)
    key = f"/movies?genre={'G' * 40}&limit=1000&offset=100000&sort=-rating"
    await cache.put(key, b"x" * cache.max_value_bytes, time.time() + TTL_S)
    entry = await cache.get(key)
    assert entry is not None
    assert len(entry.value) == cache.max_value_bytes


# --- recommendation pages are shared across users ---------------------------------------------


async def test_two_users_who_like_a_genre_read_the_same_cached_pages(
    deployment: Deployment,
) -> None:
    # Different numbers of ratings and limits: before, each asked for a page of its own size.
    await deployment.ratings.put("ana", Rating(SCI_FI, 5.0, genres=("Sci-Fi",)))
    for movie_id in (SCI_FI, 5):
        await deployment.ratings.put("bob", Rating(movie_id, 4.5, genres=("Sci-Fi",)))
    ana = await get(deployment.environment(), "/me/recommendations?limit=3", "ana")
    assert ana.status_code == 200
    assert len(deployment.catalog.calls) == 2  # the best-rated page overall, and Sci-Fi's
    bob = await get(deployment.environment(), "/me/recommendations?limit=2", "bob")
    assert bob.status_code == 200
    assert len(deployment.catalog.calls) == 2  # the same two pages, from the table
    movie_ids = [item["movie"]["id"] for item in decode(bob)["items"]]
    assert len(movie_ids) == 2
    assert not {SCI_FI, 5} & set(movie_ids)  # bob's own ratings still excluded
    page = f"limit={CATALOG_PAGE_MAX}&offset=0&sort=-rating"
    assert set(deployment.table.cached()) == {
        f"{CACHE_PREFIX}{FORMAT}/movies?{page}",
        f"{CACHE_PREFIX}{FORMAT}/movies?genre=Sci-Fi&{page}",
    }


async def test_recommendations_make_no_catalog_call_once_their_genres_pages_are_cached(
    deployment: Deployment,
) -> None:
    await deployment.ratings.put("ana", Rating(SCI_FI, 5.0, genres=("Sci-Fi",)))
    await deployment.ratings.put("cy", Rating(COMEDY, 5.0, genres=("Comedy",)))
    for movie_id, genre in ((SCI_FI, "Sci-Fi"), (COMEDY, "Comedy"), (DRAMA, "Drama")):
        await deployment.ratings.put("dee", Rating(movie_id, 4.0, genres=(genre,)))
    warm = deployment.environment()
    for user in ("ana", "cy"):
        assert (await get(warm, "/me/recommendations", user)).status_code == 200
    calls = len(deployment.catalog.calls)
    # dee likes Sci-Fi, Comedy and Drama: two of her pages were cached by others, Drama's not.
    dee = await get(deployment.environment(), "/me/recommendations", "dee")
    assert dee.status_code == 200
    assert deployment.catalog.calls[calls:] == ["/movies"]  # Drama's page, once
    again = await get(deployment.environment(), "/me/recommendations", "dee")
    assert again.status_code == 200
    assert len(deployment.catalog.calls) == calls + 1  # every page cached: no catalog call

"""The rate limiter's counts in the template's table on moto: shared, per caller, expiring."""

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError
from moto import mock_aws

from infra.local.aws_env import client
from infra.local.resources import create_resources
from movies.api.limits import request_limits
from movies.aws import clients
from movies.aws.factories import build_table_adapters
from movies.aws.limits import EXPIRY_GRACE_S, DynamoRateLimiter
from movies.domain.limits import Limit
from movies.errors import LimiterUnavailable
from movies.settings import Settings

NOW = 1_800_000_045.0  # 45 s into a minute
LIMITS = {"ratings": Limit(2, 60)}


@pytest.fixture
def table() -> Iterator[tuple[Any, str]]:
    with mock_aws():
        dynamodb = client("dynamodb")
        yield dynamodb, create_resources(client("sqs"), dynamodb).table_name


def limiter(table: tuple[Any, str], now: float = NOW) -> DynamoRateLimiter:
    dynamodb, name = table
    return DynamoRateLimiter(lambda: dynamodb, name, LIMITS, clock=lambda: now)


async def test_two_environments_share_one_count(table: tuple[Any, str]) -> None:
    one, other = limiter(table), limiter(table)  # two Lambda environments, one table
    assert await one.acquire("ana", "ratings") == 0
    assert await other.acquire("ana", "ratings") == 0
    assert await one.acquire("ana", "ratings") == 15  # seconds left in the minute
    assert await other.acquire("ana", "ratings") == 15


async def test_callers_and_windows_count_apart(table: tuple[Any, str]) -> None:
    now = limiter(table)
    for _ in range(2):
        await now.acquire("ana", "ratings")
    assert await now.acquire("bea", "ratings") == 0
    assert await limiter(table, NOW + 15).acquire("ana", "ratings") == 0


async def test_a_refused_request_changes_nothing_and_counts_expire(
    table: tuple[Any, str],
) -> None:
    dynamodb, name = table
    for _ in range(3):
        await limiter(table).acquire("ana", "ratings")
    items = dynamodb.scan(TableName=name)["Items"]
    assert len(items) == 1
    [item] = items
    assert item["pk"]["S"] == "LIMIT#ana"
    assert item["hits"]["N"] == "2"
    window_end = (int(NOW) // 60 + 1) * 60
    assert int(item["expires_at"]["N"]) == window_end + EXPIRY_GRACE_S
    assert "trending" not in item  # never in the trending index


async def test_an_unreachable_table_is_limiter_unavailable() -> None:
    def unreachable() -> Any:
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    broken = DynamoRateLimiter(unreachable, "movie-api", LIMITS, clock=lambda: NOW)
    with pytest.raises(LimiterUnavailable):
        await broken.acquire("ana", "ratings")


async def test_the_store_the_limiter_the_cache_and_the_keys_share_one_client(
    table: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dynamodb, name = table
    made: list[object] = []

    def one_more(settings: Settings) -> Any:
        made.append(settings)
        return dynamodb

    monkeypatch.setattr(clients, "dynamodb_client", one_more)
    settings = Settings(table_name=name)
    adapters = build_table_adapters(settings, request_limits(settings))
    assert made == []  # nothing made at init: boto3 loads on first use
    await adapters.limiter.acquire("ana", "ratings")
    await adapters.store.ratings_for("ana", limit=5)
    await adapters.cache.get("/movies")
    await adapters.idempotency.claim("ana", "key-1", "fingerprint")
    assert len(made) == 1  # one client, one connection pool, per process

"""Trending no single user can move, on moto: what the worker counts, what it writes, what is read.

A user counts once per movie per window (a UTC day by default), for the first few movies of a
served list, whatever the number of calls, duplicates or retries; the counters live in
TRENDING_SHARDS index partitions and /movies/trending reads them with one Query each.
"""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from botocore.exceptions import ReadTimeoutError

from infra.local.lambda_runtime import EVENTS, local_context
from movies.aws.table import COUNTER_SORT_KEY, TRENDING_INDEX, TRENDING_SHARDS, trending_shard
from movies.aws.trending import TrendingCounter
from movies.domain.messages import RatingSubmitted, RecommendationsServed
from movies.domain.trending import TrendingRules
from tests.support.apps import app_with_fakes, behind_test_gateway
from tests.support.tokens import bearer
from tests.support.worker_aws import Aws, DynamoCalls, batch, moto_aws, record

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def aws() -> Iterator[Aws]:
    with moto_aws() as aws:
        yield aws


def served(user: str, movie_ids: list[int], at: datetime = NOON) -> RecommendationsServed:
    return RecommendationsServed(user_id=user, movie_ids=movie_ids, duration_ms=1, occurred_at=at)


async def counts(aws: Aws) -> dict[int, int]:
    return dict(await aws.store().trending(100))


def counted_set(aws: Aws, user: str, window: datetime) -> set[int]:
    item = aws.dynamodb.get_item(
        TableName=aws.resources.table_name,
        Key={"pk": {"S": f"COUNTED#{user}"}, "sk": {"S": window.isoformat()}},
    ).get("Item", {})
    return {int(n) for n in item.get("movies", {}).get("NS", [])}


def fail_first_transaction(aws: Aws, when: str) -> None:
    """The first TransactWriteItems fails: before it is sent, or after it committed (the answer
    lost on the way back, as a read timeout would lose it)."""
    fired: list[bool] = []

    def fail(**_: Any) -> None:
        if not fired:
            fired.append(True)
            raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")

    aws.dynamodb.meta.events.register(f"{when}.dynamodb.TransactWriteItems", fail)


# --- through the API: one user, many calls --------------------------------------------------


async def test_twenty_calls_from_one_user_move_each_movie_by_one_and_a_second_user_by_two(
    aws: Aws,
) -> None:
    calls = DynamoCalls(aws.dynamodb)
    app = app_with_fakes(ratings=aws.store(), queue=aws.queue())
    poller = aws.poller()
    transport = httpx.ASGITransport(app=behind_test_gateway(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as api:
        for _ in range(20):
            answer = await api.get("/me/recommendations?limit=5", headers=bearer("ana"))
            assert answer.status_code == 200
        top = [item["movie"]["id"] for item in answer.json()["items"]]
        while poller.poll_once():
            pass
        after_ana = (await api.get("/movies/trending")).json()["items"]
        assert (await api.get("/me/recommendations?limit=5", headers=bearer("bob"))).is_success
        while poller.poll_once():
            pass
        after_bob = (await api.get("/movies/trending?limit=3")).json()["items"]
    ranked = sorted(top)  # equal counts rank by movie id
    assert after_ana == [{"movie_id": m, "impressions": 1} for m in ranked]
    assert after_bob == [{"movie_id": m, "impressions": 2} for m in ranked[:3]]
    # One transaction for each user's first call; the other 19 calls only read.
    assert [len(t["TransactItems"]) for t in calls.of("TransactWriteItems")] == [6, 6]
    assert calls.writes() == ["TransactWriteItems"] * 2


# --- the worker: windows, duplicates, retries, races ------------------------------------------


@pytest.mark.parametrize(
    ("rules", "first", "same_window", "next_window"),
    [
        (TrendingRules(), NOON, NOON.replace(hour=23, minute=59), NOON + timedelta(hours=12)),
        (
            TrendingRules(window=timedelta(hours=1)),
            NOON,
            NOON + timedelta(minutes=59),
            NOON + timedelta(hours=1),
        ),
    ],
    ids=["a UTC day", "one hour"],
)
async def test_the_next_window_counts_again(
    aws: Aws, rules: TrendingRules, first: datetime, same_window: datetime, next_window: datetime
) -> None:
    worker = aws.worker(rules)
    worker(batch(record(served("ana", [7], first))), local_context())
    worker(batch(record(served("ana", [7], same_window))), local_context())
    assert await counts(aws) == {7: 1}
    worker(batch(record(served("ana", [7], next_window))), local_context())
    assert await counts(aws) == {7: 2}


async def test_a_duplicate_delivery_counts_once_and_writes_nothing(aws: Aws) -> None:
    message = served("dup", [3, 1, 2])
    worker = aws.worker()
    calls = DynamoCalls(aws.dynamodb)
    worker(batch(record(message), record(message)), local_context())
    worker(batch(record(message)), local_context())  # redelivered later
    assert await counts(aws) == {1: 1, 2: 1, 3: 1}
    assert calls.writes() == ["TransactWriteItems"]
    assert aws.log.getvalue().count('"nothing to change"') == 2


@pytest.mark.parametrize("when", ["before-call", "after-call"], ids=["not sent", "answer lost"])
async def test_a_failed_transaction_is_retried_without_loss_or_double_count(
    aws: Aws, when: str
) -> None:
    fail_first_transaction(aws, when)
    worker = aws.worker()
    message = record(served("ana", [4, 5]))
    # A record that succeeds beside it, so that the failed one is reported alone.
    rating = record(RatingSubmitted(user_id="ana", movie_id=4, stars=4))
    assert worker(batch(message, rating), local_context())["batchItemFailures"] == [
        {"itemIdentifier": message["MessageId"]}
    ]
    assert await counts(aws) == ({} if when == "before-call" else {4: 1, 5: 1})
    assert worker(batch(message), local_context()) == {"batchItemFailures": []}  # SQS's retry
    assert await counts(aws) == {4: 1, 5: 1}


async def test_a_race_with_the_same_users_other_message_loses_and_doubles_nothing(
    aws: Aws,
) -> None:
    """Another worker counts two of the movies between this one's read and its transaction: the
    transaction's condition fails, and the fresh read leaves only the third to count."""
    other = TrendingCounter(aws.dynamodb, aws.resources.table_name)
    raced: list[bool] = []

    def count_first(**_: Any) -> None:
        if not raced:
            raced.append(True)
            assert other.count(served("ana", [1, 2]))

    aws.dynamodb.meta.events.register("before-call.dynamodb.TransactWriteItems", count_first)
    calls = DynamoCalls(aws.dynamodb)
    mine = TrendingCounter(aws.dynamodb, aws.resources.table_name)
    assert mine.count(served("ana", [1, 2, 3]))
    assert await counts(aws) == {1: 1, 2: 1, 3: 1}
    # Mine: [1, 2, 3] refused, then [3] alone (the other's [1, 2] ran inside the first attempt).
    sizes = [len(t["TransactItems"]) for t in calls.of("TransactWriteItems")]
    assert sizes == [4, 3, 2]


async def test_an_old_message_still_on_the_queue_counts(aws: Aws) -> None:
    # The published sample's body is the message as the API sent it before this design.
    event = json.loads((EVENTS / "sqs" / "recommendations-served.json").read_text())
    assert aws.worker()(event, local_context()) == {"batchItemFailures": []}
    assert await counts(aws) == {13: 1, 52: 1, 125: 1}


# --- how much a call writes -------------------------------------------------------------------


async def test_a_call_writes_at_most_one_transaction_of_one_plus_per_call_items(aws: Aws) -> None:
    rules = TrendingRules(per_call=10, per_window=25)
    worker = aws.worker(rules)
    calls = DynamoCalls(aws.dynamodb)
    lists = [list(range(start, start + 50)) for start in (1, 101, 201, 301)]
    for movie_ids in lists:
        worker(batch(record(served("ana", movie_ids))), local_context())
    # Each list counts its top 10 only, until the window's 25 are used up; then nothing.
    assert [len(t["TransactItems"]) for t in calls.of("TransactWriteItems")] == [11, 11, 6]
    assert calls.writes() == ["TransactWriteItems"] * 3
    expected = [*range(1, 11), *range(101, 111), *range(201, 206)]
    assert await counts(aws) == dict.fromkeys(expected, 1)
    assert counted_set(aws, "ana", NOON.replace(hour=0)) == set(expected)


# --- where the counters live, and how they are read -----------------------------------------


async def test_counters_are_spread_over_every_shard_and_never_one_key(aws: Aws) -> None:
    worker = aws.worker(TrendingRules(per_call=40))
    worker(batch(record(served("ana", list(range(1, 41))))), local_context())
    items = aws.dynamodb.scan(
        TableName=aws.resources.table_name,
        FilterExpression="sk = :counter",
        ExpressionAttributeValues={":counter": {"S": COUNTER_SORT_KEY}},
    )["Items"]
    assert len({item["pk"]["S"] for item in items}) == 40  # one item per movie
    by_shard: dict[str, int] = {}
    for item in items:
        by_shard[item["trending"]["S"]] = by_shard.get(item["trending"]["S"], 0) + 1
    assert by_shard == {trending_shard(shard): 5 for shard in range(TRENDING_SHARDS)}


async def test_trending_ranks_across_shards_with_one_query_per_shard(aws: Aws) -> None:
    worker = aws.worker()
    # Movie 9 served to 4 users, 1 and 2 to 3, 5 to 2, 17 to 1; 1, 9 and 17 share shard 1.
    audiences = {9: 4, 1: 3, 2: 3, 5: 2, 17: 1}
    for user in range(4):
        shown = [movie for movie, seen in audiences.items() if seen > user]
        worker(batch(record(served(f"user-{user}", shown))), local_context())
    calls = DynamoCalls(aws.dynamodb)
    assert await aws.store().trending(3) == [(9, 4), (1, 3), (2, 3)]
    queries = calls.of("Query")
    assert len(queries) == TRENDING_SHARDS
    assert {q["ExpressionAttributeValues"][":shard"]["S"] for q in queries} == {
        trending_shard(shard) for shard in range(TRENDING_SHARDS)
    }
    assert {(q["IndexName"], q["Limit"], q["ScanIndexForward"]) for q in queries} == {
        (TRENDING_INDEX, 3, False)
    }
    assert await counts(aws) == audiences

"""SQS and DynamoDB on moto: the producer, the idempotent worker, partial failures and the DLQ.

What the worker counts toward trending: tests/functional/test_trending.py.
"""

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError

from handlers.mangum_handler import lambda_handler
from infra.local.lambda_runtime import EVENTS, local_context
from infra.local.poller import Poller
from movies.domain.messages import RatingSubmitted, RecommendationsServed, encode
from movies.errors import QueueUnavailable
from tests.support.apps import app_with_fakes, behind_test_gateway
from tests.support.tokens import bearer
from tests.support.worker_aws import Aws, batch, record

ANA = bearer("ana")


def poison(message_id: str) -> dict[str, Any]:
    return {
        **record(RatingSubmitted(user_id="u", movie_id=1, stars=1)),
        "MessageId": message_id,
        "Body": "{not json",
    }


def unreachable(**_: Any) -> None:
    raise EndpointConnectionError(endpoint_url="https://sqs.us-east-1.amazonaws.com")


# --- producer ---------------------------------------------------------------------------------


async def test_message_carries_its_type_and_correlation_id(aws: Aws) -> None:
    message = RatingSubmitted(user_id="ana", movie_id=7, stars=3.5)
    await aws.queue().send(message, correlation_id="req-42")
    (received,) = aws.sqs.receive_message(
        QueueUrl=aws.resources.queue_url, MessageAttributeNames=["All"]
    )["Messages"]
    assert RatingSubmitted.model_validate_json(received["Body"]) == message
    attributes = received["MessageAttributes"]
    assert attributes["type"]["StringValue"] == "RatingSubmitted"
    assert attributes["correlation_id"]["StringValue"] == "req-42"
    assert json.loads(received["Body"])["version"] == 1


async def test_sqs_error_is_queue_unavailable(aws: Aws) -> None:
    def refuse(**_: Any) -> None:
        raise aws.sqs.exceptions.ClientError(
            {"Error": {"Code": "ServiceUnavailable"}}, "SendMessage"
        )

    aws.sqs.meta.events.register("before-call.sqs.SendMessage", refuse)
    with pytest.raises(QueueUnavailable):
        await aws.queue().send(
            RatingSubmitted(user_id="a", movie_id=1, stars=1), correlation_id="c"
        )
    assert aws.depth(aws.resources.queue_url) == 0


async def test_rating_through_the_api_is_503_when_sqs_fails_and_202_when_not(aws: Aws) -> None:
    app = app_with_fakes(ratings=aws.store(), queue=aws.queue())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=behind_test_gateway(app)), base_url="http://t"
    ) as api:
        accepted = await api.post("/me/ratings", json={"movie_id": 2, "stars": 5}, headers=ANA)
        aws.sqs.meta.events.register("before-call.sqs.SendMessage", unreachable)
        refused = await api.post("/me/ratings", json={"movie_id": 3, "stars": 5}, headers=ANA)
    assert accepted.status_code == 202
    assert (refused.status_code, refused.headers["retry-after"]) == (503, "1")
    assert aws.depth(aws.resources.queue_url) == 1  # the 503 left nothing behind


def test_enqueue_has_happened_when_the_lambda_handler_returns(aws: Aws) -> None:
    app = app_with_fakes(ratings=aws.store(), queue=aws.queue())
    handler = lambda_handler(app, Logger(service="enqueue-test"), Metrics(), Tracer(disabled=True))
    event = json.loads((EVENTS / "http-api" / "rate-movie.json").read_text())
    result = handler(event, local_context())
    assert result["statusCode"] == 202
    (message,) = aws.sqs.receive_message(QueueUrl=aws.resources.queue_url)["Messages"]
    assert json.loads(message["Body"])["event_id"] == json.loads(result["body"])["event_id"]


# --- worker -------------------------------------------------------------------------------------


def test_a_failed_middle_record_is_reported_alone(aws: Aws) -> None:
    good = [record(RatingSubmitted(user_id="u1", movie_id=m, stars=4)) for m in (1, 2)]
    response = aws.worker()(batch(good[0], poison("bad-one"), good[1]), local_context())
    assert response == {"batchItemFailures": [{"itemIdentifier": "bad-one"}]}
    stored = aws.dynamodb.query(
        TableName=aws.resources.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "USER#u1"}},
    )["Items"]
    assert len(stored) == 2


def test_a_batch_that_fails_entirely_raises(aws: Aws) -> None:
    with pytest.raises(BatchProcessingError):
        aws.worker()(batch(poison("a"), poison("b")), local_context())


async def test_duplicate_deliveries_store_one_rating_and_count_once(aws: Aws) -> None:
    rating = RatingSubmitted(user_id="dup", movie_id=4, stars=2.5)
    served = RecommendationsServed(user_id="dup", movie_ids=[8, 9], duration_ms=1)
    worker = aws.worker()
    worker(batch(record(rating), record(rating), record(served)), local_context())
    worker(batch(record(served), record(rating)), local_context())  # redelivered later
    assert [
        (r.movie_id, r.stars) for r in (await aws.store().ratings_for("dup", limit=100)).items
    ] == [(4, 2.5)]
    assert await aws.store().trending(10) == [(8, 1), (9, 1)]  # ties by movie id
    assert aws.log.getvalue().count('"nothing to change"') == 3


async def test_two_sends_of_one_event_id_store_one_rating(aws: Aws) -> None:
    rating = RatingSubmitted(user_id="twice", movie_id=4, stars=2.5)
    queue = aws.queue()
    await queue.send(rating, correlation_id="c1")
    await queue.send(rating, correlation_id="c2")
    aws.drain()
    assert len((await aws.store().ratings_for("twice", limit=100)).items) == 1
    assert aws.depth(aws.resources.queue_url) == 0


async def test_the_worker_keeps_the_genres_and_pages_read_them_back(aws: Aws) -> None:
    messages = [
        RatingSubmitted(user_id="g", movie_id=movie_id, stars=4, genres=["Drama", "Crime"])
        for movie_id in range(1, 6)
    ]
    aws.worker()(batch(*(record(m) for m in messages)), local_context())
    store = aws.store()
    first = await store.ratings_for("g", limit=3)
    rest = await store.ratings_for("g", limit=3, after=first.next_after)
    assert first.next_after is not None
    assert rest.next_after is None
    stored = [*first.items, *rest.items]
    assert sorted(r.movie_id for r in stored) == [1, 2, 3, 4, 5]
    assert {r.genres for r in stored} == {("Drama", "Crime")}


async def test_the_latest_rating_wins_whatever_the_delivery_order(aws: Aws) -> None:
    now = datetime.now(UTC)
    newer = RatingSubmitted(user_id="o", movie_id=1, stars=5, occurred_at=now)
    older = RatingSubmitted(
        user_id="o", movie_id=1, stars=1, occurred_at=now - timedelta(seconds=5)
    )
    aws.worker()(batch(record(newer), record(older)), local_context())
    assert [r.stars for r in (await aws.store().ratings_for("o", limit=100)).items] == [5.0]


def test_worker_logs_with_the_api_requests_correlation_id(aws: Aws) -> None:
    aws.worker()(batch(record(RatingSubmitted(user_id="c", movie_id=1, stars=3))), local_context())
    applied = [json.loads(line) for line in aws.log.getvalue().splitlines() if '"applied"' in line]
    assert applied
    assert applied[0]["correlation_id"] == "corr-1"


def test_poison_message_lands_in_the_dlq_after_five_receives(aws: Aws) -> None:
    aws.sqs.send_message(QueueUrl=aws.resources.queue_url, MessageBody='{"type": "Unknown"}')
    good = RatingSubmitted(user_id="p", movie_id=1, stars=3)
    aws.sqs.send_message(QueueUrl=aws.resources.queue_url, MessageBody=encode(good))
    poller = aws.poller()
    for _ in range(10):  # bounded: 5 receives plus slack
        if not poller.poll_once():
            break
    dead = aws.sqs.receive_message(QueueUrl=aws.resources.dlq_url, AttributeNames=["All"])[
        "Messages"
    ]
    assert [m["Body"] for m in dead] == ['{"type": "Unknown"}']
    assert aws.depth(aws.resources.queue_url) == 0


def test_sample_sqs_events_drive_the_worker(aws: Aws) -> None:
    worker = aws.worker()
    single = json.loads((EVENTS / "sqs" / "rating.json").read_text())
    assert worker(single, local_context()) == {"batchItemFailures": []}
    mixed = json.loads((EVENTS / "sqs" / "batch-with-poison.json").read_text())
    assert worker(mixed, local_context()) == {
        "batchItemFailures": [{"itemIdentifier": "msg-poison-1"}]
    }
    item = aws.dynamodb.get_item(
        TableName=aws.resources.table_name, Key={"pk": {"S": "USER#alice"}, "sk": {"S": "MOVIE#42"}}
    )["Item"]
    assert item["stars"]["N"] == "4.5"


class StallingSqs:
    """The moto client, but its first receives time out and its first delete cannot connect."""

    def __init__(self, sqs: Any, receive_timeouts: int, delete_failures: int) -> None:
        self._sqs = sqs
        self.receive_timeouts = receive_timeouts
        self.delete_failures = delete_failures

    def receive_message(self, **kwargs: Any) -> Any:
        if self.receive_timeouts:
            self.receive_timeouts -= 1
            raise ReadTimeoutError(endpoint_url="http://127.0.0.1:8002")
        return self._sqs.receive_message(**kwargs)

    def delete_message_batch(self, **kwargs: Any) -> Any:
        if self.delete_failures:
            self.delete_failures -= 1
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:8002")
        return self._sqs.delete_message_batch(**kwargs)


def test_a_poller_outlives_sqs_timeouts_and_stores_every_rating_once(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("infra.local.poller.BACKOFF_FIRST_S", 0.01)
    for movie_id in range(1, 26):
        aws.sqs.send_message(
            QueueUrl=aws.resources.queue_url,
            MessageBody=encode(RatingSubmitted(user_id="stall", movie_id=movie_id, stars=3)),
        )
    flaky = StallingSqs(aws.sqs, receive_timeouts=3, delete_failures=1)
    warnings: list[str] = []
    poller = Poller(flaky, aws.resources.queue_url, aws.worker(), idle_s=0.01, warn=warnings.append)
    stop = threading.Event()
    thread = threading.Thread(target=poller.run, args=(stop,))
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while aws.depth(aws.resources.queue_url) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert aws.depth(aws.resources.queue_url) == 0
    items = aws.dynamodb.query(
        TableName=aws.resources.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "USER#stall"}},
    )["Items"]
    assert sorted(int(i["sk"]["S"].removeprefix("MOVIE#")) for i in items) == list(range(1, 26))
    assert (flaky.receive_timeouts, flaky.delete_failures) == (0, 0)
    assert sum("ReadTimeoutError" in line for line in warnings) == 3
    assert sum("EndpointConnectionError" in line for line in warnings) == 1
    assert any("answers again" in line for line in warnings)

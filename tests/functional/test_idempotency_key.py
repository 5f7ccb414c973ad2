"""POST /me/ratings with an Idempotency-Key: processed at most once per caller and key.

The queue, the table and the worker are the real adapters on moto (the template's resources);
every test that takes `api` runs the four ways of tests/functional.
"""

import asyncio
import io
import json
from typing import Any

import httpx
import pytest
from aws_lambda_powertools import Logger
from fastapi import FastAPI

from infra.local.template import load_template
from movies.api.schemas import RatingIn
from movies.aws.idempotency import DynamoIdempotencyStore
from movies.aws.queue import SqsTaskQueue
from movies.aws.store import DynamoRatingStore
from movies.aws.table import IDEMPOTENCY_PREFIX
from movies.domain.idempotency import Claimed, fingerprint
from movies.settings import Settings
from tests.support.apps import CATALOG_URL, app_with_fakes, behind_test_gateway
from tests.support.clock import Clock
from tests.support.fake_catalog import FakeCatalog
from tests.support.logs import fresh_logger
from tests.support.tokens import bearer
from tests.support.worker_aws import Aws, atomic_item_writes

ANA, BOB = bearer("ana"), bearer("bob")
KEY = '"8e03978e-40d5-43e8-bc93-6894a57f9324"'  # the draft's example, quoted as it sends it
RATING = {"movie_id": 3, "stars": 4.5}
NOW = 1_800_000_000.0


@pytest.fixture
def settings(request: pytest.FixtureRequest) -> Settings:
    # A deadline no request here meets on a loaded 2-core machine, unless a test sets its own.
    return Settings(catalog_url=CATALOG_URL, request_deadline_s=getattr(request, "param", 5.0))


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def idempotency(aws: Aws, settings: Settings, clock: Clock) -> DynamoIdempotencyStore:
    return keys_in(aws, settings, clock)


@pytest.fixture
def queue(aws: Aws) -> SqsTaskQueue:
    return aws.queue()


@pytest.fixture
def ratings(aws: Aws) -> DynamoRatingStore:
    return aws.store()


@pytest.fixture
def log() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def logger(log: io.StringIO) -> Logger:
    return fresh_logger("idempotency", log)


def keys_in(aws: Aws, settings: Settings, clock: Clock) -> DynamoIdempotencyStore:
    """The Idempotency-Keys in the moto table, as an environment's app keeps them."""
    return DynamoIdempotencyStore(
        lambda: aws.dynamodb,
        aws.resources.table_name,
        ttl_s=settings.idempotency_ttl_s,
        lease_s=settings.idempotency_lease_s,
        clock=clock,
    )


async def rate(
    api: httpx.AsyncClient,
    key: str | None = KEY,
    body: dict[str, Any] | None = None,
    who: dict[str, str] = ANA,
) -> httpx.Response:
    headers = {**who, **({"Idempotency-Key": key} if key is not None else {})}
    return await api.post("/me/ratings", json=body or RATING, headers=headers)


def queued(aws: Aws) -> list[dict[str, Any]]:
    """The messages on the task queue, left there (visible again at once)."""
    found = aws.sqs.receive_message(
        QueueUrl=aws.resources.queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0
    ).get("Messages", [])
    return [json.loads(message["Body"]) for message in found]


def key_items(aws: Aws) -> list[dict[str, Any]]:
    """The Idempotency-Key records in the table."""
    items = aws.dynamodb.scan(TableName=aws.resources.table_name)["Items"]
    return [item for item in items if item["pk"]["S"].startswith(IDEMPOTENCY_PREFIX)]


def applied(aws: Aws) -> int:
    """How many messages the worker applied to the table."""
    return aws.log.getvalue().count('"message":"applied"')


def event_id(response: httpx.Response) -> str:
    return str(response.json()["event_id"])


async def test_a_repeat_gets_the_first_answer_and_the_worker_stores_one_rating(
    api: httpx.AsyncClient, aws: Aws
) -> None:
    first = await rate(api)
    again = await rate(api)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert again.headers["cache-control"] == "no-store"  # personal, replayed or not
    [message] = queued(aws)
    assert message["event_id"] == event_id(first)
    aws.drain()
    [stored] = aws.dynamodb.query(
        TableName=aws.resources.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "USER#ana"}},
    )["Items"]
    assert (stored["event_id"]["S"], stored["stars"]["N"]) == (event_id(first), "4.5")
    assert applied(aws) == 1


async def test_the_quoted_and_the_bare_form_name_one_key(api: httpx.AsyncClient, aws: Aws) -> None:
    first = await rate(api, key='"order-1"')
    bare = await rate(api, key="order-1")  # as Stripe's clients send it
    assert (bare.headers["idempotent-replayed"], event_id(bare)) == ("true", event_id(first))
    assert len(queued(aws)) == 1


async def test_the_same_body_written_otherwise_is_a_repeat(
    api: httpx.AsyncClient, aws: Aws
) -> None:
    first = await rate(api, body={"movie_id": 3, "stars": 4})
    same = await rate(api, body={"stars": 4.0, "movie_id": 3})
    assert (same.headers["idempotent-replayed"], event_id(same)) == ("true", event_id(first))
    assert len(queued(aws)) == 1


async def test_the_key_with_another_body_is_422_and_changes_nothing(
    api: httpx.AsyncClient, aws: Aws
) -> None:
    first = await rate(api)
    reused = await rate(api, body={"movie_id": 3, "stars": 1})
    assert reused.status_code == 422
    body = reused.json()
    assert (set(body), body["error"]) == (
        {"error", "detail", "request_id"},
        "idempotency_key_reused",
    )
    assert body["request_id"] == reused.headers["x-request-id"]
    assert "idempotent-replayed" not in reused.headers
    # The refused request took nothing from the first: it still replays, one message queued.
    assert event_id(await rate(api)) == event_id(first)
    assert len(queued(aws)) == 1


async def test_keys_are_the_callers_own(api: httpx.AsyncClient, aws: Aws) -> None:
    ana = await rate(api)
    bob = await rate(api, who=BOB)  # the same key and body, another caller
    cy = await rate(api, body={"movie_id": 2, "stars": 1}, who=bearer("cy"))  # and another body
    assert [r.status_code for r in (ana, bob, cy)] == [202, 202, 202]
    assert "idempotent-replayed" not in bob.headers
    assert event_id(bob) != event_id(ana)
    assert sorted(m["user_id"] for m in queued(aws)) == ["ana", "bob", "cy"]
    assert event_id(await rate(api)) == event_id(ana)  # Bob's request left Ana's key as it was


async def test_a_key_is_processed_anew_after_its_lifetime(
    api: httpx.AsyncClient, aws: Aws, clock: Clock, settings: Settings
) -> None:
    first = await rate(api)
    [record] = key_items(aws)
    # The table's TTL attribute: DynamoDB deletes the record once its lifetime is over.
    ttl = aws.dynamodb.describe_time_to_live(TableName=aws.resources.table_name)
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"
    assert int(record["expires_at"]["N"]) == int(NOW + settings.idempotency_ttl_s)
    clock.now = NOW + settings.idempotency_ttl_s - 1
    assert event_id(await rate(api)) == event_id(first)
    # TTL deletes within days, not at the second: the lapsed record is still there, and ignored.
    clock.now = NOW + settings.idempotency_ttl_s
    anew = await rate(api)
    assert (anew.status_code, "idempotent-replayed" in anew.headers) == (202, False)
    assert event_id(anew) != event_id(first)
    assert len(queued(aws)) == 2


MALFORMED = {
    "empty": "",
    "empty quoted": '""',
    "256 characters": "k" * 256,
    "256 characters quoted": '"' + "k" * 256 + '"',
    "no closing quote": '"abc',
    "no opening quote": 'abc"',
    "a quote inside": '"a"b"',
    "an escape that is not one": '"a\\b"',
    "a bare space": "a b",
    "two keys, joined": '"a", "b"',
}


async def test_malformed_keys_are_422_and_claim_or_queue_nothing(
    api: httpx.AsyncClient, aws: Aws
) -> None:
    for name, key in MALFORMED.items():
        response = await rate(api, key=key)
        assert response.status_code == 422, name
        body = response.json()
        assert body["error"] == "validation_error", name
        assert [problem["loc"] for problem in body["detail"]] == [["header", "Idempotency-Key"]]
    assert (queued(aws), key_items(aws)) == ([], [])


async def test_the_longest_keys_are_accepted(api: httpx.AsyncClient) -> None:
    for key in ("k" * 255, '"' + "k" * 254 + '\\""'):  # 255 characters, bare and quoted
        assert (await rate(api, key=key)).status_code == 202, key


async def test_a_failed_send_releases_the_key_for_the_retry(
    api: httpx.AsyncClient, aws: Aws
) -> None:
    def refuse(**_: Any) -> None:
        raise aws.sqs.exceptions.ClientError(
            {"Error": {"Code": "ServiceUnavailable"}}, "SendMessage"
        )

    aws.sqs.meta.events.register("before-call.sqs.SendMessage", refuse)
    failed = await rate(api)
    assert (failed.status_code, failed.json()["error"]) == (503, "queue_unavailable")
    assert key_items(aws) == []  # released: no failure is kept as the key's answer
    aws.sqs.meta.events.unregister("before-call.sqs.SendMessage", refuse)
    retry = await rate(api)
    assert (retry.status_code, "idempotent-replayed" in retry.headers) == (202, False)
    assert [m["event_id"] for m in queued(aws)] == [event_id(retry)]


async def test_a_failed_lookup_is_not_the_keys_answer(
    api: httpx.AsyncClient, aws: Aws, fake_catalog: FakeCatalog
) -> None:
    fake_catalog.fault = "5xx"
    assert (await rate(api)).status_code == 502
    fake_catalog.fault = None
    retry = await rate(api)
    assert (retry.status_code, "idempotent-replayed" in retry.headers) == (202, False)
    assert len(queued(aws)) == 1


@pytest.mark.parametrize("settings", [2.0], indirect=True)  # the deadline, in seconds
async def test_a_request_cut_by_the_deadline_releases_its_key(
    api: httpx.AsyncClient, aws: Aws, fake_catalog: FakeCatalog
) -> None:
    fake_catalog.fault, fake_catalog.hang_s = "hang", 5.0
    cut = await rate(api)
    assert (cut.status_code, cut.json()["error"]) == (504, "deadline_exceeded")
    assert key_items(aws) == []
    fake_catalog.fault = None
    assert (await rate(api)).status_code == 202


async def test_a_request_that_died_holds_its_key_only_for_its_lease(
    api: httpx.AsyncClient,
    aws: Aws,
    idempotency: DynamoIdempotencyStore,
    clock: Clock,
    settings: Settings,
) -> None:
    # What a request leaves when its environment is killed mid-request: a claim, no answer.
    canonical = RatingIn.model_validate(RATING).model_dump_json()
    claim = await idempotency.claim("ana", KEY[1:-1], fingerprint("POST /me/ratings", canonical))
    assert isinstance(claim, Claimed)
    busy = await rate(api)
    assert (busy.status_code, busy.json()["error"]) == (409, "idempotency_key_in_flight")
    assert busy.headers["retry-after"] == "1"
    assert queued(aws) == []
    clock.now = NOW + settings.idempotency_lease_s
    assert (await rate(api)).status_code == 202
    assert len(queued(aws)) == 1


async def test_without_a_key_every_request_is_processed(api: httpx.AsyncClient, aws: Aws) -> None:
    first, second = await rate(api, key=None), await rate(api, key=None)
    assert (first.status_code, second.status_code) == (202, 202)
    assert event_id(first) != event_id(second)
    assert not {"idempotent-replayed"} & {*first.headers, *second.headers}
    assert len(queued(aws)) == 2
    assert key_items(aws) == []


async def test_the_key_is_in_the_requests_log_line(
    api: httpx.AsyncClient, log: io.StringIO
) -> None:
    await rate(api)
    await rate(api, key=None)
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    requests = [line for line in lines if line["message"] == "request"]
    assert [line.get("idempotency_key") for line in requests] == [KEY, None]


async def test_concurrent_duplicates_in_two_environments_queue_one_message(
    aws: Aws, settings: Settings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    atomic_item_writes(monkeypatch)
    # The catalog lookup takes 200 ms, so the first request is still in flight when the rest
    # arrive: two environments (apps), one table, five concurrent requests each.
    catalog = FakeCatalog(latency_s=0.2)

    def environment() -> FastAPI:
        keys = keys_in(aws, settings, clock)
        return app_with_fakes(settings, catalog=catalog, queue=aws.queue(), idempotency=keys)

    clients = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=behind_test_gateway(environment())),
            base_url="http://api.test",
        )
        for _ in range(2)
    ]
    responses = await asyncio.gather(*(rate(clients[n % 2]) for n in range(10)))
    processed = [
        r for r in responses if r.status_code == 202 and "idempotent-replayed" not in r.headers
    ]
    [accepted] = processed  # exactly one was processed
    replays = [r for r in responses if r.headers.get("idempotent-replayed") == "true"]
    busy = [r for r in responses if r.status_code == 409]
    # The rest arrived while it ran (409), or, on a machine slow enough, after it (a replay).
    assert len(replays) + len(busy) == 9, [r.text for r in responses]
    assert busy, "no request met the first one in flight"
    assert {r.json()["error"] for r in busy} == {"idempotency_key_in_flight"}
    assert {event_id(r) for r in replays} <= {event_id(accepted)}
    replay = await rate(clients[1])
    assert (replay.headers["idempotent-replayed"], event_id(replay)) == ("true", event_id(accepted))
    for api in clients:
        await api.aclose()
    assert [m["event_id"] for m in queued(aws)] == [event_id(accepted)]
    aws.drain()
    assert applied(aws) == 1


async def test_the_api_writes_keys_only_as_its_iam_policy_allows(
    api: httpx.AsyncClient, aws: Aws
) -> None:
    calls: set[str] = set()

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        key = params.get("Key") or params.get("Item") or {}
        if key.get("pk", {}).get("S", "").startswith(IDEMPOTENCY_PREFIX):
            calls.add(f"dynamodb:{model.name}")

    aws.dynamodb.meta.events.register("before-parameter-build.dynamodb", record)
    await rate(api)  # claim and answer
    await rate(api)  # replay
    await rate(api, key='"other"', body={"movie_id": 999, "stars": 1})  # 404: released
    policies = load_template()["Resources"]["ApiFunction"]["Properties"]["Policies"]
    [granted] = [
        statement["Action"]
        for policy in policies
        for statement in policy.get("Statement", [])
        if statement["Sid"] == "KeepIdempotencyKeysPerCaller"
    ]
    assert (
        calls == set(granted) == {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    )

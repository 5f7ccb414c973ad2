"""Least privilege, on the template SAM's transform makes: each role may call what its code calls,
on its own resources, and nothing else; the worker's queue reaches it through an explicit event
source mapping on its `live` alias, with no managed SQS policy.

The actions the code calls are recorded, not listed by hand: the API's table adapters and the
worker's writer run on moto, and every DynamoDB call they make is compared with the policies.
"""

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from movies.aws.cache import DynamoSharedCache
from movies.aws.idempotency import DynamoIdempotencyStore
from movies.aws.limits import DynamoRateLimiter
from movies.aws.table import CACHE_PREFIX, IDEMPOTENCY_PREFIX, TRENDING_INDEX
from movies.aws.writer import EventWriter
from movies.domain.idempotency import Answer, Claimed
from movies.domain.limits import Limit
from movies.domain.messages import RatingSubmitted, RecommendationsServed
from tests.support.sam_transform import transformed
from tests.support.worker_aws import Aws, DynamoCalls, moto_aws

PARAMETERS = {"CatalogUrl": "https://catalog.example.com"}
MANAGED = "arn:aws:iam::aws:policy/"
BASIC = [
    f"{MANAGED}service-role/AWSLambdaBasicExecutionRole",
    f"{MANAGED}AWSXrayWriteOnlyAccess",
]
TABLE = {"Fn::GetAtt": ["Table", "Arn"]}
QUEUE = {"Fn::GetAtt": ["TaskQueue", "Arn"]}
# What Lambda's event source mapping calls with the function's role to poll a queue (AWS's
# "Execution role permissions" for SQS), and ChangeMessageVisibility, which it may use too.
POLL = {
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ChangeMessageVisibility",
}


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    result: dict[str, Any] = transformed(PARAMETERS)["Resources"]
    return result


def statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    """Every statement of the role's inline policies, Action always a list."""
    found = []
    for policy in role["Properties"].get("Policies", []):
        for statement in policy["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            action = statement["Action"]
            found.append({**statement, "Action": [action] if isinstance(action, str) else action})
    return found


def actions(role: dict[str, Any], service: str) -> set[str]:
    return {a for s in statements(role) for a in s["Action"] if a.startswith(f"{service}:")}


@pytest.fixture
def aws() -> Any:
    with moto_aws() as aws:
        yield aws


async def called_by_the_api(aws: Aws) -> set[str]:
    calls = DynamoCalls(aws.dynamodb)
    store = aws.store()
    await store.ratings_for("ana", limit=5)
    await store.ratings_for("ana", limit=5, after=3)
    await store.trending(10)
    limits = {"rate": Limit(1, 60)}
    limiter = DynamoRateLimiter(lambda: aws.dynamodb, aws.resources.table_name, limits)
    assert await limiter.acquire("ana", "rate") == 0
    assert await limiter.acquire("ana", "rate") > 0  # refused: the same call, its condition failed
    cache = DynamoSharedCache(lambda: aws.dynamodb, aws.resources.table_name, timeout_s=5)
    assert await cache.get("movies?genre=Drama") is None
    await cache.put("movies?genre=Drama", b"[]", time.time() + 60)
    assert await cache.get("movies?genre=Drama") is not None
    keys = DynamoIdempotencyStore(
        lambda: aws.dynamodb, aws.resources.table_name, ttl_s=60, lease_s=20
    )
    first, second = await keys.claim("ana", "k1", "f1"), await keys.claim("ana", "k2", "f2")
    assert isinstance(first, Claimed)
    assert isinstance(second, Claimed)
    assert await keys.complete("ana", "k1", first, Answer(202, "{}", "/me/ratings"))
    await keys.release("ana", "k2", second)
    return calls.iam_actions()


def called_by_the_worker(aws: Aws) -> set[str]:
    calls = DynamoCalls(aws.dynamodb)
    writer = EventWriter(aws.dynamodb, aws.resources.table_name)
    at = datetime(2026, 12, 7, 12, tzinfo=UTC)
    served = RecommendationsServed(user_id="ana", movie_ids=[1, 2], duration_ms=1, occurred_at=at)
    for message in (RatingSubmitted(user_id="ana", movie_id=1, stars=4), served, served):
        writer.apply(message)
    return calls.iam_actions()


# --- the worker -------------------------------------------------------------------------------


def test_the_worker_polls_its_queue_only_and_gets_no_managed_sqs_policy(
    resources: dict[str, Any],
) -> None:
    role = resources["WorkerFunctionRole"]
    assert role["Properties"]["ManagedPolicyArns"] == BASIC  # no AWSLambdaSQSQueueExecutionRole
    sqs = [s for s in statements(role) if any(a.startswith("sqs:") for a in s["Action"])]
    assert [(set(s["Action"]), s["Resource"]) for s in sqs] == [(POLL, QUEUE)]
    assert "Condition" not in sqs[0]


async def test_the_worker_may_call_on_the_table_exactly_what_it_calls(
    resources: dict[str, Any], aws: Aws
) -> None:
    role = resources["WorkerFunctionRole"]
    called = called_by_the_worker(aws)
    assert actions(role, "dynamodb") == called
    assert called == {
        "dynamodb:PutItem",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
    }
    table = [s for s in statements(role) if s["Action"][0].startswith("dynamodb:")]
    assert {str(s["Resource"]) for s in table} == {str(TABLE)}  # the table, no index


def test_the_queue_reaches_the_worker_through_its_alias_with_every_setting_kept(
    resources: dict[str, Any],
) -> None:
    mappings = {
        k: r for k, r in resources.items() if r["Type"] == "AWS::Lambda::EventSourceMapping"
    }
    assert list(mappings) == ["WorkerFunctionTaskQueue"]  # SAM's name for the old event's
    mapping = mappings["WorkerFunctionTaskQueue"]["Properties"]
    alias = resources[mapping["FunctionName"]["Ref"]]
    assert alias["Type"] == "AWS::Lambda::Alias"
    assert alias["Properties"]["Name"] == "live"
    assert alias["Properties"]["FunctionName"] == {"Ref": "WorkerFunction"}
    # What SAM generated from the `SQS` event this mapping replaces, but for the alias.
    assert {k: v for k, v in mapping.items() if k != "FunctionName"} == {
        "EventSourceArn": QUEUE,
        "BatchSize": 10,
        "MaximumBatchingWindowInSeconds": 1,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "ScalingConfig": {"MaximumConcurrency": 5},
    }
    assert "Events" not in resources["WorkerFunction"]["Properties"]


# --- the API ----------------------------------------------------------------------------------


async def test_the_api_may_call_on_the_table_exactly_what_it_calls(
    resources: dict[str, Any], aws: Aws
) -> None:
    role = resources["ApiFunctionRole"]
    assert role["Properties"]["ManagedPolicyArns"] == BASIC
    called = await called_by_the_api(aws)
    assert called == {
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:DeleteItem",
    }
    assert actions(role, "dynamodb") == called  # no Scan, BatchGetItem, DescribeTable
    index = {"Fn::Sub": "${Table.Arn}/index/" + TRENDING_INDEX}
    granted = {
        (action, str(s["Resource"]), str(s.get("Condition")))
        for s in statements(role)
        for action in s["Action"]
        if action.startswith("dynamodb:")
    }

    def by_leading_key(prefix: str) -> str:
        return str({"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [prefix]}})

    assert granted == {
        ("dynamodb:Query", str(TABLE), by_leading_key("USER#*")),  # the caller's ratings
        ("dynamodb:Query", str(index), "None"),  # trending
        ("dynamodb:UpdateItem", str(TABLE), by_leading_key("LIMIT#*")),  # request counts
        ("dynamodb:GetItem", str(TABLE), by_leading_key(f"{CACHE_PREFIX}*")),  # shared cache
        ("dynamodb:PutItem", str(TABLE), by_leading_key(f"{CACHE_PREFIX}*")),
        # Idempotency-Keys: claim, answer, release, each on the caller's own keys only
        ("dynamodb:PutItem", str(TABLE), by_leading_key(f"{IDEMPOTENCY_PREFIX}*")),
        ("dynamodb:UpdateItem", str(TABLE), by_leading_key(f"{IDEMPOTENCY_PREFIX}*")),
        ("dynamodb:DeleteItem", str(TABLE), by_leading_key(f"{IDEMPOTENCY_PREFIX}*")),
    }
    assert actions(role, "sqs") == {"sqs:SendMessage*"}  # it sends, never receives

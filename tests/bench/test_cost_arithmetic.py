"""bench-cost's arithmetic against figures worked out by hand: dollars, billing units, per route."""

import base64
import json

import pytest
from moto import mock_aws

from infra.bench.harness.aws_calls import (
    distinct_values,
    item_bytes,
    item_sizes,
    key_of,
    parse_recording,
    scan_items,
    usage,
)
from infra.bench.harness.lambda_reports import Invocation
from infra.bench.suites.cost.costs import Costing, PerRequest, cost_per_million
from infra.bench.suites.cost.drive import Sent
from infra.bench.suites.cost.figures import Counted, route_figures
from infra.bench.suites.cost.prices import Prices
from infra.local.aws_env import client
from infra.local.resources import create_resources

COSTING = Costing(
    Prices(), memory_mb=1024, worker_memory_mb=512, worker_batch_size=10, worker_records_per_s=40
)


def test_a_million_requests_cost_what_the_prices_say() -> None:
    use = PerRequest(
        billed_ms=150, invocations=1, read_units=0.5, write_units=4, sqs_requests=1, messages=1
    )
    cost = cost_per_million(COSTING, use)
    # 0.15 s at 1 GB: 150,000 GB-s a million, at $0.0000133334.
    assert cost.gb_seconds == pytest.approx(150_000)
    assert cost.lambda_duration == pytest.approx(2.00001)
    assert cost.lambda_requests == pytest.approx(0.20)
    assert cost.http_api == pytest.approx(1.00)
    assert cost.sqs == pytest.approx(0.40)
    # 0.5 read units at $0.125 a million, 4 write units at $0.625.
    assert cost.dynamodb == pytest.approx(0.0625 + 2.5)
    # A tenth of a worker invocation ($0.02), 25 ms at 0.5 GB ($0.1666675), a tenth of a batch's
    # receive and delete ($0.08).
    assert cost.worker == pytest.approx(0.02 + 0.1666675 + 0.08)
    assert cost.total == pytest.approx(6.4291775)


def test_a_throttled_request_pays_only_api_gateway() -> None:
    cost = cost_per_million(COSTING, PerRequest(billed_ms=0, invocations=0))
    assert cost.total == pytest.approx(1.00)


def _line(caller: str, service: str, target: str, body: dict[str, object]) -> str:
    authorization = (
        f"AWS4-HMAC-SHA256 Credential={caller}/20261207/us-east-1/{service}/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )
    headers = {"Authorization": authorization, "X-Amz-Target": target}
    encoded = base64.b64encode(json.dumps(body).encode()).decode()
    entry = {"headers": headers, "method": "POST", "url": "/", "body": encoded}
    return json.dumps({**entry, "body_encoded": True})


COUNTER = {
    "Update": {
        "TableName": "t",
        "Key": {"pk": {"S": "MOVIE#1"}, "sk": {"S": "IMPRESSIONS"}},
        "UpdateExpression": "ADD impressions :one SET trending = :all",
    }
}
PAGE_KEY = {"pk": {"S": "CATALOG#page"}, "sk": {"S": "ANSWER"}}
RECORDING = "\n".join(
    [
        _line("api", "dynamodb", "DynamoDB_20120810.Query", {"TableName": "t"}),
        _line("api", "dynamodb", "DynamoDB_20120810.GetItem", {"ConsistentRead": True}),
        _line(
            "api", "dynamodb", "DynamoDB_20120810.UpdateItem", {"UpdateExpression": "ADD hits :one"}
        ),
        _line("api", "sqs", "AmazonSQS.SendMessage", {"MessageBody": "x" * 100}),
        _line("api", "sqs", "AmazonSQS.SendMessage", {"MessageBody": "x" * 70_000}),
        _line(
            "worker",
            "dynamodb",
            "DynamoDB_20120810.TransactWriteItems",
            {"TransactItems": [{"Put": {"Item": {"pk": {"S": "EVENT#1"}}}}, COUNTER, COUNTER]},
        ),
        _line(
            "worker",
            "dynamodb",
            "DynamoDB_20120810.PutItem",
            {"Item": {"pk": {"S": "USER#u"}, "blob": {"S": "x" * 2500}}},
        ),
        _line("api", "dynamodb", "DynamoDB_20120810.GetItem", {"Key": PAGE_KEY}),
        json.dumps({"headers": {}, "method": "GET", "url": "/moto-api/", "body": ""}),
    ]
)


def test_recorded_calls_become_billing_units() -> None:
    calls = parse_recording(RECORDING)
    assert [(c.caller, c.operation) for c in calls][:2] == [("api", "Query"), ("api", "GetItem")]
    assert len(calls) == 8  # the unsigned moto-api request is not a call
    # The cached page the last GetItem reads is 10,000 bytes in the table.
    used = usage(calls, frozenset({"trending", "impressions"}), {key_of(PAGE_KEY): 10_000})
    # Query, eventually consistent: 0.5; GetItem of an item not in the table, strongly
    # consistent: 1; the 10,000-byte page, eventually consistent: 3 x 4 KB at 0.5 each.
    assert used.read_units == 0.5 + 1 + 1.5
    # UpdateItem 1; the transaction 2 x (1 + 1 + 1); each counter's index entry moved: 2 x 2;
    # the 2,512-byte put: 3.
    assert used.write_units == 1 + 6 + 4 + 3
    assert used.index_writes == 4
    # 100 bytes: one request; 70,000 bytes: two 64 KB chunks.
    assert (used.sqs_requests, used.messages) == (3, 2)
    assert used.operations["SendMessage"] == 2


def test_a_route_bills_its_invocations_and_counts_what_it_was_not_billed() -> None:
    sent = [
        Sent("GET /movies", 200, 3010.0, "a"),
        Sent("GET /movies", 200, 3020.0, "b"),
        Sent("GET /movies", 200, 12.0, "c"),
        Sent("GET /movies", 500, 2.0, None),  # throttled: no REPORT line
    ]
    reports = {
        "a": Invocation("a", 3000.0, 3000, 1024, 170, None),
        "b": Invocation("b", 3000.0, 3400, 1024, 170, 399.5),
        "c": Invocation("c", 10.0, 10, 1024, 170, None),
        "z": Invocation("z", 10.0, 10, 1024, 170, None),  # another route's
    }
    counted = Counted(2, catalog_calls=1, usage=usage([]))
    figures = route_figures("GET /movies", sent, reports, counted, COSTING)
    assert (figures.requests, figures.invoked, figures.not_invoked) == (4, 3, 1)
    assert figures.billed_p50_ms == 3000
    assert figures.billed_p99_ms == 3400
    assert figures.billed_mean_ms == pytest.approx(6410 / 3)
    assert figures.billed_per_request_ms == pytest.approx(6410 / 4)
    assert figures.cold_starts == 1
    assert figures.catalog_calls_per_1000 == 500
    # Per request sent: 1.6025 s at 1 GB, three invocations in four.
    assert figures.cost.gb_seconds == pytest.approx(1_602_500)
    assert figures.cost.lambda_requests == pytest.approx(0.15)


def test_a_read_is_sized_by_the_item_it_returned_and_the_index_keys_counted() -> None:
    page = {"pk": {"S": "CATALOG#page"}, "sk": {"S": "ANSWER"}, "body": {"S": "x" * 5000}}
    counters = [
        {"pk": {"S": f"MOVIE#{n}"}, "sk": {"S": "IMPRESSIONS"}, "trending": {"S": shard}}
        for n, shard in ((1, "ALL#0"), (2, "ALL#1"), (3, "ALL#1"))
    ]
    with mock_aws():
        dynamodb = client("dynamodb")
        table = create_resources(client("sqs"), dynamodb).table_name
        for item in [page, *counters]:
            dynamodb.put_item(TableName=table, Item=item)  # type: ignore[arg-type]
        items = scan_items(dynamodb, table)
    sizes = item_sizes(items, ["pk", "sk"])
    assert sizes[key_of(PAGE_KEY)] == item_bytes(page)
    assert item_bytes(page) > 5000
    assert len(sizes) == 4
    assert distinct_values(items, "trending") == 2


def test_items_are_sized_as_dynamodb_sizes_them() -> None:
    # Names and values: "pk" + "USER#u", "n" + 3 digits, "blob" + 1,000 bytes (as boto3 returns
    # them, and as base64 in a request), a map of one 2-byte string and a list of two flags.
    item = {
        "pk": {"S": "USER#u"},
        "n": {"N": "123"},
        "blob": {"B": b"x" * 1000},
        "page": {"M": {"k": {"S": "ab"}}},
        "flags": {"L": [{"BOOL": True}, {"BOOL": False}]},
    }
    expected = (2 + 6) + (1 + 3) + (4 + 1000) + (4 + 3 + 1 + 1 + 2) + (5 + 3 + 2 * (1 + 1))
    assert item_bytes(item) == expected
    as_json = {**item, "blob": {"B": base64.b64encode(b"x" * 1000).decode()}}
    assert item_bytes(as_json) == expected

"""bench-cost reads its template figures from either form of the worker's SQS trigger."""

from typing import Any

from infra.bench.suites.cost.template_figures import template_figures

SQS = {"BatchSize": 10, "ScalingConfig": {"MaximumConcurrency": 5}}
PARAMETERS = {
    name: {"Default": value}
    for name, value in {
        "ApiReservedConcurrency": 200,
        "WorkerReservedConcurrency": 5,
        "ThrottlingRateLimit": 100,
        "ThrottlingBurstLimit": 200,
    }.items()
}
TABLE = {
    "Type": "AWS::DynamoDB::Table",
    "Properties": {
        "KeySchema": [{"AttributeName": "pk"}, {"AttributeName": "sk"}],
        "GlobalSecondaryIndexes": [
            {
                "KeySchema": [
                    {"AttributeName": "trending", "KeyType": "HASH"},
                    {"AttributeName": "impressions", "KeyType": "RANGE"},
                ]
            }
        ],
    },
}


def _template(worker: dict[str, Any], **resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "Parameters": PARAMETERS,
        "Globals": {"Function": {"MemorySize": 256}},
        "Resources": {
            "ApiFunction": {"Properties": {"MemorySize": 1024}},
            "WorkerFunction": {"Properties": worker},
            "Table": TABLE,
            **resources,
        },
    }


def test_the_functions_sqs_event_or_an_event_source_mapping_give_the_same_figures() -> None:
    as_event = _template({"Events": {"TaskQueue": {"Type": "SQS", "Properties": SQS}}})
    mapping = {"Type": "AWS::Lambda::EventSourceMapping", "Properties": SQS}
    as_mapping = _template({}, WorkerFunctionTaskQueue=mapping)
    figures = template_figures(as_event)
    assert figures == template_figures(as_mapping)
    # The worker sets no MemorySize here: Globals' applies.
    assert (figures.api_memory_mb, figures.worker_memory_mb) == (1024, 256)
    assert (figures.worker_batch_size, figures.worker_max_concurrency) == (10, 5)
    assert (figures.stage_rate_limit, figures.api_reserved_concurrency) == (100, 200)
    assert figures.table_keys == ["pk", "sk"]
    assert figures.index_keys == ["impressions", "trending"]
    assert figures.index_partition_key == "trending"


def test_template_yaml_gives_its_figures() -> None:
    figures = template_figures()
    assert figures.api_memory_mb >= 128
    assert figures.worker_batch_size >= 1
    assert figures.table_keys[0] == "pk"

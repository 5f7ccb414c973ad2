"""The local stack's queues and table come from template.yaml: as declared, and as changed.

Each test creates the resources on moto in-process from a template file and compares what moto
holds with that file's own values, read with the same CloudFormation loader.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from infra.local.aws_env import client
from infra.local.resources import LOCAL_VISIBILITY_TIMEOUT_S, create_resources
from infra.local.template import TEMPLATE, load_template
from movies.aws.table import TRENDING_INDEX
from movies.domain.messages import MAX_MESSAGE_BYTES
from tests.support.template import edited, properties

QUEUES = {"queue": "TaskQueue", "dlq": "TaskDeadLetterQueue"}


@dataclass(frozen=True)
class Created:
    """What moto holds after create_resources: queue attributes by role, and the table."""

    queues: dict[str, dict[str, str]]
    table: dict[str, Any]
    ttl: dict[str, Any]
    backups: dict[str, Any]


def create_on_moto(template_path: Path) -> Created:
    with mock_aws():
        sqs, dynamodb = client("sqs"), client("dynamodb")
        resources = create_resources(sqs, dynamodb, template_path=template_path)
        urls = {"queue": resources.queue_url, "dlq": resources.dlq_url}
        queues = {
            role: dict(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"])
            for role, url in urls.items()
        }
        name = resources.table_name
        return Created(
            queues,
            dict(dynamodb.describe_table(TableName=name)["Table"]),
            dict(dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]),
            dict(
                dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
            ),
        )


def by_name(items: list[Any], key: str, fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return {item[key]: {f: item[f] for f in fields} for item in items}


def assert_created_as_declared(template: dict[str, Any], created: Created) -> None:
    for role, name in QUEUES.items():
        local, queue = created.queues[role], properties(template, name)
        for attribute in ("MaximumMessageSize", "MessageRetentionPeriod"):
            assert local[attribute] == str(queue[attribute]), (name, attribute)
        assert local["SqsManagedSseEnabled"] == str(queue["SqsManagedSseEnabled"]).lower()
        # The one queue attribute the local stack overrides (infra/local/resources.py says why).
        assert local["VisibilityTimeout"] == str(LOCAL_VISIBILITY_TIMEOUT_S)
    redrive = properties(template, QUEUES["queue"])["RedrivePolicy"]
    assert json.loads(created.queues["queue"]["RedrivePolicy"]) == {
        "deadLetterTargetArn": created.queues["dlq"]["QueueArn"],
        "maxReceiveCount": redrive["maxReceiveCount"],
    }
    table, local = properties(template, "Table"), created.table
    assert local["KeySchema"] == table["KeySchema"]
    assert by_name(local["AttributeDefinitions"], "AttributeName", ("AttributeType",)) == by_name(
        table["AttributeDefinitions"], "AttributeName", ("AttributeType",)
    )
    index_fields = ("KeySchema", "Projection")
    assert by_name(local["GlobalSecondaryIndexes"], "IndexName", index_fields) == by_name(
        table["GlobalSecondaryIndexes"], "IndexName", index_fields
    )
    assert local["BillingModeSummary"]["BillingMode"] == table["BillingMode"]
    ttl = table["TimeToLiveSpecification"]
    assert created.ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": ttl["AttributeName"]}
    pitr = created.backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
    enabled = table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
    assert pitr == ("ENABLED" if enabled else "DISABLED")
    # DeletionProtectionEnabled is !If [IsProd, true, false]; locally Stage is its default.
    is_prod = template["Parameters"]["Stage"]["Default"] == "prod"
    assert local["DeletionProtectionEnabled"] is is_prod


def test_the_templates_queues_and_table_are_created_as_declared(template: dict[str, Any]) -> None:
    created = create_on_moto(TEMPLATE)
    assert_created_as_declared(template, created)
    # What the app relies on, locally too.
    assert int(created.queues["queue"]["MaximumMessageSize"]) == MAX_MESSAGE_BYTES
    assert TRENDING_INDEX in {i["IndexName"] for i in created.table["GlobalSecondaryIndexes"]}


def test_a_changed_template_changes_the_local_resources(tmp_path: Path) -> None:
    copy = edited(
        tmp_path,
        (r"maxReceiveCount: 5\n", "maxReceiveCount: 7\n"),
        (r"IndexName: by_impressions\n", "IndexName: by_rank\n"),
        (r"ProjectionType: KEYS_ONLY\n", "ProjectionType: ALL\n"),
        # The index's keys swapped: impressions the partition key, trending the sort key.
        (
            r"AttributeName: trending\n(\s+)KeyType: HASH",
            r"AttributeName: impressions\n\1KeyType: HASH",
        ),
        (
            r"AttributeName: impressions\n(\s+)KeyType: RANGE",
            r"AttributeName: trending\n\1KeyType: RANGE",
        ),
    )
    created = create_on_moto(copy)
    assert_created_as_declared(load_template(copy), created)
    redrive = json.loads(created.queues["queue"]["RedrivePolicy"])
    assert redrive == {
        "deadLetterTargetArn": created.queues["dlq"]["QueueArn"],
        "maxReceiveCount": 7,
    }
    [index] = created.table["GlobalSecondaryIndexes"]
    assert (index["IndexName"], index["Projection"]) == ("by_rank", {"ProjectionType": "ALL"})
    assert index["KeySchema"] == [
        {"AttributeName": "impressions", "KeyType": "HASH"},
        {"AttributeName": "trending", "KeyType": "RANGE"},
    ]


def test_a_property_the_local_stack_does_not_know_stops_it(tmp_path: Path) -> None:
    copy = edited(
        tmp_path, (r"(\n\s+)VisibilityTimeout: 181\n", r"\1VisibilityTimeout: 181\1DelaySecs: 1\n")
    )
    with pytest.raises(ValueError, match=r"TaskQueue has \['DelaySecs'\]"):
        create_on_moto(copy)

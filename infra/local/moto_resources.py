"""One template resource onto moto: a queue from its Properties, a table from its Properties.

Each property is passed on under the API's own name, set with its own call, or, for the few
moto has no use for, left out with the reason below; any other property stops the local stack.
"""

import json
from typing import TYPE_CHECKING, Any, cast

from infra.local.intrinsics import Resolver

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.literals import QueueAttributeNameType

# Queue properties that are CreateQueue attributes of the same name and meaning.
QUEUE_ATTRIBUTES = {
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "DelaySeconds",
    "FifoQueue",
    "FifoThroughputLimit",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "RedriveAllowPolicy",
    "RedrivePolicy",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
}
# Table properties that are CreateTable parameters of the same name and shape.
TABLE_PARAMETERS = {
    "AttributeDefinitions",
    "BillingMode",
    "DeletionProtectionEnabled",
    "GlobalSecondaryIndexes",
    "KeySchema",
    "LocalSecondaryIndexes",
    "ProvisionedThroughput",
    "TableClass",
}
# Table properties that DynamoDB sets with a call of their own once the table exists.
TABLE_UPDATES = {"PointInTimeRecoverySpecification", "TimeToLiveSpecification"}
# Local override: table properties left out on moto.
TABLE_SKIPPED = {
    # Encryption at rest under a KMS key: moto keeps tables in memory, and would only mint a
    # fake KMS key for it.
    "SSESpecification",
}


def create_queue(
    sqs: "SQSClient",
    resolver: Resolver,
    name: str,
    props: dict[str, Any],
    queue_name: str,
    **overrides: Any,
) -> str:
    """Create the template's queue `name` as `queue_name`, attributes overridden; its URL."""
    _refuse_unknown(name, props, QUEUE_ATTRIBUTES | {"QueueName"})
    values = resolver.resolve({k: v for k, v in props.items() if k in QUEUE_ATTRIBUTES})
    attributes = {key: _attribute(value) for key, value in {**values, **overrides}.items()}
    return sqs.create_queue(
        QueueName=queue_name,
        Attributes=cast("Mapping[QueueAttributeNameType, str]", attributes),
    )["QueueUrl"]


def create_table(
    dynamodb: "DynamoDBClient", resolver: Resolver, name: str, props: dict[str, Any], table: str
) -> str:
    """Create the template's table `name` as `table`, then set its TTL and backups; its ARN."""
    _refuse_unknown(name, props, TABLE_PARAMETERS | TABLE_UPDATES | TABLE_SKIPPED | {"TableName"})
    parameters = resolver.resolve({k: v for k, v in props.items() if k in TABLE_PARAMETERS})
    arn = dynamodb.create_table(TableName=table, **parameters)["TableDescription"]["TableArn"]
    if "TimeToLiveSpecification" in props:
        spec = resolver.resolve(props["TimeToLiveSpecification"])
        dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification=spec)
    if "PointInTimeRecoverySpecification" in props:
        spec = resolver.resolve(props["PointInTimeRecoverySpecification"])
        dynamodb.update_continuous_backups(TableName=table, PointInTimeRecoverySpecification=spec)
    return arn


def _attribute(value: Any) -> str:
    """An SQS attribute value: JSON for a policy, lower case for a boolean, else the text."""
    if isinstance(value, bool):
        return str(value).lower()
    return json.dumps(value) if isinstance(value, dict | list) else str(value)


def _refuse_unknown(name: str, props: dict[str, Any], known: set[str]) -> None:
    if unknown := sorted(set(props) - known):
        raise ValueError(f"template.yaml's {name} has {unknown}: create or skip them in {__name__}")

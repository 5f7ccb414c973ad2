"""The AWS resources the stack needs, created on moto (in-process or its server) as on AWS."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient

QUEUE_NAME = "movie-api-tasks"
DLQ_NAME = "movie-api-tasks-dlq"
TABLE_NAME = "movie-api"
MAX_RECEIVE_COUNT = 5


@dataclass(frozen=True)
class Resources:
    """Where the created resources are."""

    queue_url: str
    dlq_url: str
    table_name: str


def create_resources(
    sqs: "SQSClient", dynamodb: "DynamoDBClient", visibility_timeout_s: int = 6
) -> Resources:
    """Create the task queue with its DLQ redrive, and the table with its trending index.

    Locally the visibility timeout is short so that failed records come back within seconds;
    template.yaml sets the real one (6 x the worker's timeout).
    """
    dlq_url = sqs.create_queue(QueueName=DLQ_NAME)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = f'{{"deadLetterTargetArn":"{dlq_arn}","maxReceiveCount":"{MAX_RECEIVE_COUNT}"}}'
    queue_url = sqs.create_queue(
        QueueName=QUEUE_NAME,
        Attributes={
            "VisibilityTimeout": str(visibility_timeout_s),
            "RedrivePolicy": redrive,
            "MaximumMessageSize": "262144",
        },
    )["QueueUrl"]
    dynamodb.create_table(
        TableName=TABLE_NAME,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "trending", "AttributeType": "S"},
            {"AttributeName": "impressions", "AttributeType": "N"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_impressions",
                "KeySchema": [
                    {"AttributeName": "trending", "KeyType": "HASH"},
                    {"AttributeName": "impressions", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    return Resources(queue_url, dlq_url, TABLE_NAME)

"""The AWS adapters the API needs, built from Settings; boto3 loads on first use, not at init."""

from typing import TYPE_CHECKING

from movies.aws.queue import SqsTaskQueue
from movies.aws.store import DynamoRatingStore
from movies.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient


def build_rating_store(settings: Settings) -> DynamoRatingStore:
    """The DynamoDB table named in `settings` (moto's endpoint locally, via AWS_ENDPOINT_URL)."""

    def client() -> "DynamoDBClient":
        from movies.aws.clients import dynamodb_client

        return dynamodb_client(settings)

    return DynamoRatingStore(client, settings.table_name)


def build_task_queue(settings: Settings) -> SqsTaskQueue:
    """The SQS queue named in `settings`."""

    def client() -> "SQSClient":
        from movies.aws.clients import sqs_client

        return sqs_client(settings)

    return SqsTaskQueue(client, settings.queue_url)

"""The AWS adapters the API needs, built from Settings; boto3 loads on first use, not at init."""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from movies.aws.limits import DynamoRateLimiter
from movies.aws.queue import SqsTaskQueue
from movies.aws.store import DynamoRatingStore
from movies.domain.limits import Limit
from movies.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient


def _dynamodb(settings: Settings) -> Callable[[], "DynamoDBClient"]:
    """Makes the DynamoDB client when first called: boto3 loads then, not at cold start."""

    def client() -> "DynamoDBClient":
        from movies.aws.clients import dynamodb_client

        return dynamodb_client(settings)

    return client


def build_rating_store(settings: Settings) -> DynamoRatingStore:
    """The DynamoDB table named in `settings` (moto's endpoint locally, via AWS_ENDPOINT_URL)."""
    return DynamoRatingStore(_dynamodb(settings), settings.table_name)


def build_rate_limiter(settings: Settings, limits: Mapping[str, Limit]) -> DynamoRateLimiter:
    """Request counts in the same table, shared by every environment."""
    return DynamoRateLimiter(_dynamodb(settings), settings.table_name, limits)


def build_task_queue(settings: Settings) -> SqsTaskQueue:
    """The SQS queue named in `settings`."""

    def client() -> "SQSClient":
        from movies.aws.clients import sqs_client

        return sqs_client(settings)

    return SqsTaskQueue(client, settings.queue_url)

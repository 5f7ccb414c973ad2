"""boto3 clients with explicit retries and timeouts, created once per process."""

from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from movies.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient


def _config(settings: Settings) -> Config:
    return Config(
        retries={"mode": "standard", "max_attempts": settings.aws_max_attempts},
        connect_timeout=settings.aws_connect_timeout_s,
        read_timeout=settings.aws_read_timeout_s,
        max_pool_connections=32,
    )


def sqs_client(settings: Settings) -> "SQSClient":
    """The SQS client for the task queue."""
    return boto3.client("sqs", config=_config(settings))


def dynamodb_client(settings: Settings) -> "DynamoDBClient":
    """The DynamoDB client for the table."""
    return boto3.client("dynamodb", config=_config(settings))

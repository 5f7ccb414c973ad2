"""The AWS adapters the API needs, built from Settings; boto3 loads on first use, not at init."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from movies.aws.cache import DynamoSharedCache
from movies.aws.idempotency import DynamoIdempotencyStore
from movies.aws.limits import DynamoRateLimiter
from movies.aws.queue import SqsTaskQueue
from movies.aws.store import DynamoRatingStore
from movies.domain.limits import Limit
from movies.lazy import Lazy
from movies.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient


@dataclass(frozen=True, slots=True)
class TableAdapters:
    """Every adapter the API has on the table."""

    store: DynamoRatingStore
    limiter: DynamoRateLimiter
    cache: DynamoSharedCache
    idempotency: DynamoIdempotencyStore


def build_table_adapters(settings: Settings, limits: Mapping[str, Limit]) -> TableAdapters:
    """The rating store, the rate limiter, the shared cache and the Idempotency-Keys on the table
    named in `settings` (moto's endpoint locally, via AWS_ENDPOINT_URL), sharing one DynamoDB
    client: one client and one connection pool per process, made on the first call that needs
    it, not at cold start."""

    def client() -> "DynamoDBClient":
        from movies.aws.clients import dynamodb_client

        return dynamodb_client(settings)

    shared = Lazy(client, "DynamoDB client").get
    return TableAdapters(
        DynamoRatingStore(shared, settings.table_name),
        DynamoRateLimiter(shared, settings.table_name, limits),
        DynamoSharedCache(shared, settings.table_name, settings.catalog_cache_timeout_s),
        DynamoIdempotencyStore(
            shared,
            settings.table_name,
            ttl_s=settings.idempotency_ttl_s,
            lease_s=settings.idempotency_lease_s,
        ),
    )


def build_task_queue(settings: Settings) -> SqsTaskQueue:
    """The SQS queue named in `settings`."""

    def client() -> "SQSClient":
        from movies.aws.clients import sqs_client

        return sqs_client(settings)

    return SqsTaskQueue(client, settings.queue_url)

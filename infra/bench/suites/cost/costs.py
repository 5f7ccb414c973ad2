"""Per-request figures into US dollars per million requests, part by part.

Each request pays API Gateway's HTTP API request; each invocation, Lambda's request and its
billed duration (INIT included) at the function's memory. Each message it queues pays the
worker's share: SQS's receive and delete of a full batch, one worker invocation per batch, and
the worker's duration per record (measured on moto, so an upper figure for real DynamoDB).
"""

from dataclasses import dataclass

from infra.bench.suites.cost.prices import Prices

MILLION = 1_000_000
MB_PER_GB = 1024  # Lambda's memory sizes are MiB; its GB-second is 1,024 of them for a second
# The event source mapping's SQS requests per batch at volume: one ReceiveMessage and one
# DeleteMessageBatch. A quiet queue costs more per message, and its idle polling a fixed sum.
ESM_REQUESTS_PER_BATCH = 2
# Records one worker environment stores a second: docs/benchmarks.md's worker run (the handler on
# batches of 10, half ratings and half impressions, against moto on loopback: 500 records at 44
# a second). Real DynamoDB answers faster, so the worker's time per record is an upper figure.
WORKER_RECORDS_PER_S = 44.0


@dataclass(frozen=True)
class Costing:
    """What turns per-request figures into dollars."""

    prices: Prices
    memory_mb: int  # the API function's MemorySize
    worker_memory_mb: int
    worker_batch_size: int
    worker_records_per_s: float  # what one worker environment stores a second


@dataclass(frozen=True)
class PerRequest:
    """What one request uses, on average."""

    billed_ms: float  # billed duration per request sent (0 for one never invoked)
    invocations: float  # invocations per request sent (1, less what was throttled)
    read_units: float = 0.0
    write_units: float = 0.0
    sqs_requests: float = 0.0  # the API's own (its sends)
    messages: float = 0.0


@dataclass(frozen=True)
class Cost:
    """GB-seconds and US dollars per million requests."""

    gb_seconds: float
    lambda_duration: float
    lambda_requests: float
    http_api: float
    sqs: float
    dynamodb: float
    worker: float

    @property
    def total(self) -> float:
        """Every part, in dollars per million requests."""
        return (
            self.lambda_duration
            + self.lambda_requests
            + self.http_api
            + self.sqs
            + self.dynamodb
            + self.worker
        )


def cost_per_million(costing: Costing, use: PerRequest) -> Cost:
    """The cost of a million requests that each use `use`."""
    prices = costing.prices
    gb_s = use.billed_ms / 1000 * costing.memory_mb / MB_PER_GB
    batches = use.messages / costing.worker_batch_size
    worker_s = use.messages / costing.worker_records_per_s
    worker_gb_s = worker_s * costing.worker_memory_mb / MB_PER_GB
    worker = (
        batches * prices.lambda_request.usd
        + worker_gb_s * prices.lambda_gb_s.usd
        + batches * ESM_REQUESTS_PER_BATCH * prices.sqs_request.usd
    )
    return Cost(
        gb_seconds=gb_s * MILLION,
        lambda_duration=gb_s * prices.lambda_gb_s.usd * MILLION,
        lambda_requests=use.invocations * prices.lambda_request.usd * MILLION,
        http_api=prices.http_api_request.usd * MILLION,
        sqs=use.sqs_requests * prices.sqs_request.usd * MILLION,
        dynamodb=(
            use.read_units * prices.dynamodb_read.usd + use.write_units * prices.dynamodb_write.usd
        )
        * MILLION,
        worker=worker * MILLION,
    )

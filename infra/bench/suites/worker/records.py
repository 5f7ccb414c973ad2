"""What the worker handler's probe measures: batches of 10 SQS records, DynamoDB on moto."""

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkerProbe:
    """The worker handler's throughput over `batches` batches (handler plus local moto)."""

    batches: int
    records: int
    failed_records: int
    records_per_s: float
    median_batch_ms: float
    p99_batch_ms: float

"""After the soak's load: wait for the queue to drain, then read what the worker stored."""

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from infra.local.aws_env import client
from infra.local.resources import Resources
from movies.aws.table import COUNTER_SORT_KEY

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient


@dataclass(frozen=True)
class Stored:
    """What the table and the queues hold once the worker is done."""

    ratings: list[tuple[str, str, str]]  # (pk, sk, event_id) of each rating item of the run
    impressions: int  # the sum of every movie's impression counter
    queue_depth: int
    dlq_depth: int
    drain_s: float


def clients(aws_url: str) -> tuple["SQSClient", "DynamoDBClient"]:
    """SQS and DynamoDB clients on the local moto server."""
    return client("sqs", aws_url), client("dynamodb", aws_url)


def queue_depth(sqs: "SQSClient", url: str) -> int:
    """Messages visible or in flight."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)  # type: ignore[arg-type]
    return sum(int(value) for value in attributes["Attributes"].values())


@dataclass
class BacklogWatch:
    """Samples the task queue's depth on a thread while the load runs: the worker's lag."""

    aws_url: str
    resources: Resources
    every_s: float = 5.0
    samples: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> "BacklogWatch":
        sqs = client("sqs", self.aws_url)

        def watch() -> None:
            while not self._stop.wait(self.every_s):
                self.samples.append(queue_depth(sqs, self.resources.queue_url))

        self._thread = threading.Thread(target=watch, name="backlog-watch", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def wait_drained(sqs: "SQSClient", resources: Resources, timeout_s: float) -> float:
    """Seconds until the task queue held nothing twice in a row, or `timeout_s` passed."""
    start = time.monotonic()
    empty_polls = 0
    while time.monotonic() - start < timeout_s:
        empty_polls = empty_polls + 1 if queue_depth(sqs, resources.queue_url) == 0 else 0
        if empty_polls == 2:
            break
        time.sleep(0.5)
    return time.monotonic() - start


def _scan(dynamodb: "DynamoDBClient", table: str, **kwargs: Any) -> list[dict[str, Any]]:
    paginator = dynamodb.get_paginator("scan")
    return [
        dict(item)
        for page in paginator.paginate(TableName=table, **kwargs)
        for item in page["Items"]
    ]


def read_stored(aws_url: str, resources: Resources, run: str, drain_timeout_s: float) -> Stored:
    """Wait for the worker to finish, then read the run's ratings and every impression counter."""
    sqs, dynamodb = clients(aws_url)
    drain_s = wait_drained(sqs, resources, drain_timeout_s)
    ratings = _scan(
        dynamodb,
        resources.table_name,
        FilterExpression="begins_with(pk, :p)",
        ExpressionAttributeValues={":p": {"S": f"USER#{run}"}},
    )
    counters = _scan(
        dynamodb,
        resources.table_name,
        FilterExpression="sk = :s",
        ExpressionAttributeValues={":s": {"S": COUNTER_SORT_KEY}},
    )
    return Stored(
        ratings=[(_s(i, "pk"), _s(i, "sk"), _s(i, "event_id")) for i in ratings],
        impressions=sum(int(_n(item, "impressions")) for item in counters),
        queue_depth=queue_depth(sqs, resources.queue_url),
        dlq_depth=queue_depth(sqs, resources.dlq_url),
        drain_s=drain_s,
    )


def _s(item: dict[str, Any], name: str) -> str:
    return str(item[name]["S"])


def _n(item: dict[str, Any], name: str) -> str:
    return str(item[name]["N"])

"""The queue, the worker and the table on moto in-process, and SQS records to feed the worker."""

import functools
import io
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from moto.dynamodb.models import DynamoDBBackend

from handlers.batch import WorkerHandler, record_handler, worker_handler
from infra.local.aws_env import arn, client
from infra.local.lambda_runtime import sqs_event
from infra.local.poller import Poller
from infra.local.resources import Resources, create_resources
from infra.soak.soak_check import queue_depth
from movies.aws.queue import SqsTaskQueue
from movies.aws.store import DynamoRatingStore
from movies.aws.writer import EventWriter
from movies.domain.messages import RatingSubmitted, RecommendationsServed, encode
from movies.domain.trending import DEFAULT_RULES, TrendingRules
from tests.support.logs import fresh_logger


@dataclass
class Aws:
    """moto's SQS and DynamoDB clients, the template's resources on them, and the worker's log."""

    sqs: Any
    dynamodb: Any
    resources: Resources
    log: io.StringIO

    def queue(self) -> SqsTaskQueue:
        return SqsTaskQueue(lambda: self.sqs, self.resources.queue_url)

    def worker(self, rules: TrendingRules = DEFAULT_RULES) -> WorkerHandler:
        logger = fresh_logger("worker", self.log)
        writer = EventWriter(self.dynamodb, self.resources.table_name, rules)
        return worker_handler(record_handler(writer, logger), logger)

    def poller(self) -> Poller:
        return Poller(self.sqs, self.resources.queue_url, self.worker())

    def drain(self) -> None:
        """Run every queued message through the worker handler."""
        poller = self.poller()
        while poller.poll_once():
            pass

    def store(self) -> DynamoRatingStore:
        return DynamoRatingStore(lambda: self.dynamodb, self.resources.table_name)

    def depth(self, url: str) -> int:
        return queue_depth(self.sqs, url)


@contextmanager
def moto_aws() -> Iterator[Aws]:
    """The template's queues and table on moto in this process, visible again at once."""
    from moto import mock_aws

    with mock_aws():
        sqs, dynamodb = client("sqs"), client("dynamodb")
        resources = create_resources(sqs, dynamodb, visibility_timeout_s=0)
        yield Aws(sqs, dynamodb, resources, io.StringIO())


def record(
    message: RatingSubmitted | RecommendationsServed, message_id: str | None = None
) -> dict[str, Any]:
    """An SQS message as ReceiveMessage returns it, carrying `message`."""
    return {
        "MessageId": message_id or str(uuid.uuid4()),
        "ReceiptHandle": "handle",
        "Body": encode(message),
        "MD5OfBody": "x",
        "Attributes": {"ApproximateReceiveCount": "1"},
        "MessageAttributes": {"correlation_id": {"DataType": "String", "StringValue": "corr-1"}},
    }


def batch(*records: dict[str, Any]) -> dict[str, Any]:
    """The SQS event Lambda would pass the worker for these records."""
    return sqs_event(list(records), arn("sqs", "movie-api-tasks"))  # type: ignore[arg-type]


class DynamoCalls:
    """Every call a DynamoDB client makes from now on: operation name and parameters."""

    def __init__(self, dynamodb: Any) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        dynamodb.meta.events.register("provide-client-params.dynamodb.*", self._record)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.calls.append((model.name, dict(params)))

    def of(self, operation: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == operation]

    def writes(self) -> list[str]:
        reads = {"GetItem", "Query"}
        return [name for name, _ in self.calls if name not in reads]

    def iam_actions(self) -> set[str]:
        """The IAM actions the calls need: a transaction's by each of its items' kinds."""
        kinds = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem"}
        kinds["ConditionCheck"] = "ConditionCheckItem"
        actions = set()
        for name, params in self.calls:
            if name == "TransactWriteItems":
                actions |= {kinds[kind] for item in params["TransactItems"] for kind in item}
            else:
                actions.add(name)
        return {f"dynamodb:{action}" for action in actions}


def atomic_item_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make moto's item writes atomic, as DynamoDB's are.

    In-process, moto checks a write's condition and then writes, unlocked: two threads can both
    pass the check. The local stack's moto server serves one request at a time
    (infra.local.moto_server), and DynamoDB evaluates a condition and writes in one step.
    """
    lock = threading.Lock()

    def locked(write: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(write)
        def under_lock(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return write(*args, **kwargs)

        return under_lock

    for name in ("put_item", "update_item", "delete_item", "transact_write_items"):
        monkeypatch.setattr(DynamoDBBackend, name, locked(getattr(DynamoDBBackend, name)))

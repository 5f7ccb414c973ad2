"""The template's queues and table on moto in-process, with the real adapters and worker on them."""

import functools
import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws
from moto.dynamodb.models import DynamoDBBackend

from handlers.batch import record_handler, worker_handler
from infra.local.aws_env import client
from infra.local.poller import Poller
from infra.local.resources import Resources, create_resources
from infra.soak.soak_check import queue_depth
from movies.aws.queue import SqsTaskQueue
from movies.aws.store import DynamoRatingStore
from movies.aws.writer import EventWriter
from tests.support.logs import fresh_logger


@dataclass
class Aws:
    """moto's clients, the resources made from template.yaml, and the worker's log."""

    sqs: Any
    dynamodb: Any
    resources: Resources
    log: io.StringIO

    def queue(self) -> SqsTaskQueue:
        """The API's SQS adapter on the task queue."""
        return SqsTaskQueue(lambda: self.sqs, self.resources.queue_url)

    def worker(self) -> Any:
        """The worker's Lambda handler, logging to `log`."""
        logger = fresh_logger("worker", self.log)
        writer = EventWriter(self.dynamodb, self.resources.table_name)
        return worker_handler(record_handler(writer, logger), logger)

    def poller(self) -> Poller:
        """A poller handing the task queue's messages to the worker handler."""
        return Poller(self.sqs, self.resources.queue_url, self.worker())

    def drain(self) -> None:
        """Run every queued message through the worker handler."""
        poller = self.poller()
        while poller.poll_once():
            pass

    def store(self) -> DynamoRatingStore:
        """The API's read side of the table."""
        return DynamoRatingStore(lambda: self.dynamodb, self.resources.table_name)

    def depth(self, url: str) -> int:
        """Messages in the queue at `url`, in flight included."""
        return queue_depth(self.sqs, url)


@contextmanager
def moto_aws() -> Iterator[Aws]:
    """The template's resources on moto, for the duration of the block."""
    with mock_aws():
        sqs, dynamodb = client("sqs"), client("dynamodb")
        resources = create_resources(sqs, dynamodb, visibility_timeout_s=0)
        yield Aws(sqs, dynamodb, resources, io.StringIO())


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

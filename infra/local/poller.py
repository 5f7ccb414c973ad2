"""The local stand-in for Lambda's SQS event source mapping, driving the real worker handler.

It polls the queue template.yaml's mapping names (infra.local.event_source), receives up to its
BatchSize (10 at most a receive), calls the handler with an SQS-shaped event, and deletes only the
records the handler did not report as failed, as ReportBatchItemFailures makes Lambda do (without
it, Lambda deletes a batch whose invocation returned). Failed ones come back after the visibility
timeout, and SQS's redrive moves them to the DLQ after maxReceiveCount receives, as on AWS.

Like Lambda's event source mapping, it never gives up on the queue: when moto stalls or refuses
(a timeout, a connection error, an error answer after botocore's own retries), it says so in one
line, waits with capped exponential backoff and jitter, and polls again. A batch whose delete
failed comes back after the visibility timeout, and the idempotent worker ignores it then.
"""

import hashlib
import os
import random
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from handlers.batch import RecordHandler, SqsRecord, WorkerHandler
from infra.local.aws_env import arn
from infra.local.event_source import EventSource, sqs_event_source
from infra.local.lambda_runtime import local_context, sqs_event

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


# Backoff after a failed call to SQS: 0.25 s, doubling to 5 s, each wait drawn in [w/2, w].
BACKOFF_FIRST_S = 0.25
BACKOFF_MAX_S = 5.0


def backoff_s(failures: int, rng: random.Random) -> float:
    """How long to wait after `failures` consecutive failed polls (1, 2, ...)."""
    ceiling = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** (failures - 1))
    return rng.uniform(ceiling / 2, ceiling)


def queue_arn_of(queue_url: str) -> str:
    """The ARN of the local queue at `queue_url` (<endpoint>/<account>/<name>)."""
    return arn("sqs", queue_url.rstrip("/").rsplit("/", 1)[-1])


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class Poller:
    """Receives batches and invokes the worker handler, as an event source mapping does."""

    def __init__(
        self,
        sqs: "SQSClient",
        queue_url: str,
        handler: WorkerHandler,
        idle_s: float = 0.2,
        warn: Callable[[str], None] = _stderr,
        source: EventSource | None = None,
    ) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.handler = handler
        self.idle_s = idle_s
        self.warn = warn
        self.source = source or sqs_event_source()  # the template's, unless a test gives one
        # From the URL, not GetQueueAttributes: a poller starting while moto stalls still starts.
        self.queue_arn = queue_arn_of(queue_url)

    def poll_once(self) -> int:
        """Process one batch; return how many messages it held."""
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.source.receive_size,
            WaitTimeSeconds=0,  # the local moto serves one request at a time: no long polls
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        try:
            response = self.handler(sqs_event(messages, self.queue_arn), local_context())
        except Exception:
            return len(messages)
        reported = response.get("batchItemFailures", []) if self.source.report_failures else []
        failed = {item["itemIdentifier"] for item in reported}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        return len(messages)

    def run(self, stop: threading.Event, rng: random.Random | None = None) -> None:
        """Poll until `stop` is set, backing off while SQS fails."""
        rng = rng or random.Random()  # noqa: S311 (jitter, not secrecy)
        failures = 0
        while not stop.is_set():
            try:
                received = self.poll_once()
            except (BotoCoreError, ClientError) as exc:
                failures += 1
                wait_s = backoff_s(failures, rng)
                self.warn(
                    f"poller: SQS failed ({type(exc).__name__}: {exc}); "
                    f"failure {failures} in a row, polling again in {wait_s:.2f} s"
                )
                stop.wait(wait_s)
                continue
            if failures:
                self.warn(f"poller: SQS answers again after {failures} failed polls")
                failures = 0
            if not received:
                stop.wait(self.idle_s)


def fail_first_attempts(handle: RecordHandler, rate: float) -> RecordHandler:
    """Fault injection: a stable `rate` of records fail on their first receive, then succeed."""

    def flaky(record: SqsRecord) -> None:
        digest = hashlib.sha256(record["messageId"].encode()).digest()
        chosen = int.from_bytes(digest[:4], "big") / 2**32 < rate
        if chosen and record["attributes"]["ApproximateReceiveCount"] == "1":
            raise RuntimeError("injected first-attempt failure")
        handle(record)

    return flaky


def main() -> None:
    """Run one worker environment against QUEUE_URL until SIGTERM or SIGINT."""
    from handlers.batch import record_handler, worker_handler
    from movies.aws.clients import dynamodb_client, sqs_client
    from movies.aws.writer import EventWriter
    from movies.observability import build_logger
    from movies.settings import Settings

    settings = Settings()
    logger = build_logger(settings.log_file)
    writer = EventWriter(dynamodb_client(settings), settings.table_name, settings.trending_rules())
    handle = record_handler(writer, logger)
    rate = float(os.environ.get("WORKER_FAULT_RATE", "0"))
    if rate:
        handle = fail_first_attempts(handle, rate)
    worker = worker_handler(handle, logger)
    poller = Poller(sqs_client(settings), settings.queue_url, worker)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    poller.run(stop)


if __name__ == "__main__":
    main()

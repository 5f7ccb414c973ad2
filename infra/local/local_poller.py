"""The local stand-in for Lambda's SQS event source mapping, driving the real worker handler.

It receives up to 10 messages, calls the handler with an SQS-shaped event, and deletes only the
records the handler did not report as failed. Failed ones come back after the visibility
timeout, and SQS's redrive moves them to the DLQ after maxReceiveCount receives, as on AWS.
"""

import hashlib
import os
import signal
import threading
from typing import TYPE_CHECKING

from handlers.batch import RecordHandler, SqsRecord, WorkerHandler
from infra.local.lambda_events import local_context, sqs_event
from infra.local.local_aws import queue_arn

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class Poller:
    """Receives batches and invokes the worker handler, as an event source mapping does."""

    def __init__(
        self, sqs: "SQSClient", queue_url: str, handler: WorkerHandler, idle_s: float = 0.2
    ) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.handler = handler
        self.idle_s = idle_s
        self.queue_arn = queue_arn(sqs, queue_url)

    def poll_once(self) -> int:
        """Process one batch; return how many messages it held."""
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
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
        failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        return len(messages)

    def run(self, stop: threading.Event) -> None:
        """Poll until `stop` is set."""
        while not stop.is_set():
            if not self.poll_once():
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
    handle = record_handler(EventWriter(dynamodb_client(settings), settings.table_name), logger)
    rate = float(os.environ.get("WORKER_FAULT_RATE", "0"))
    if rate:
        handle = fail_first_attempts(handle, rate)
    poller = Poller(sqs_client(settings), settings.queue_url, worker_handler(handle, logger))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    poller.run(stop)


if __name__ == "__main__":
    main()

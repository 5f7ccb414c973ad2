"""The worker: SQS batches in, each record applied once, only failed records reported back.

The partial batch response is the one Powertools' BatchProcessor gives for SQS, made by a loop of
our own: importing its batch utility imports asyncio, every event data class and the parser's
pydantic models of four event sources, about 40 ms of the worker's cold start for this loop.
"""

import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from movies.aws.writer import EventWriter
from movies.domain.messages import decode

SqsRecord = dict[str, Any]  # one of the event's "Records", as Lambda passes it
RecordHandler = Callable[[SqsRecord], None]
WorkerHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]
ExceptionInfo = tuple[type[BaseException] | None, BaseException | None, TracebackType | None]


def record_handler(writer: EventWriter, logger: Logger) -> RecordHandler:
    """Apply one record; any exception fails this record alone and SQS redelivers it."""

    def handle(record: SqsRecord) -> None:
        attribute = record["messageAttributes"].get("correlation_id")
        logger.set_correlation_id(attribute["stringValue"] if attribute else None)
        message = decode(record["body"])  # a poison body raises here, and lands in the DLQ in time
        applied = writer.apply(message)
        logger.info(
            # Not applied: a duplicate, an older rating, or a list whose movies are all counted.
            "applied" if applied else "nothing to change",
            extra={"event_id": str(message.event_id), "type": message.type},
        )

    return handle


def failed_records(records: list[SqsRecord], handle: RecordHandler) -> list[SqsRecord]:
    """Handle every record in order; return those that raised.

    If every record of a non-empty batch raised, raise Powertools' BatchProcessingError with
    their exceptions, as its BatchProcessor does: the invocation fails and the whole batch
    returns to the queue. Only that path imports the batch utility.
    """
    failed: list[tuple[SqsRecord, ExceptionInfo]] = []
    for record in records:
        try:
            handle(record)
        except Exception:  # any failure fails this record alone
            failed.append((record, sys.exc_info()))
    if failed and len(failed) == len(records):
        from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

        raise BatchProcessingError(
            msg=f"All records failed processing. {len(failed)} individual errors logged "
            "separately below.",
            child_exceptions=[info for _, info in failed],
        )
    return [record for record, _ in failed]


def worker_handler(handle: RecordHandler, logger: Logger) -> WorkerHandler:
    """The Lambda handler: SQS's partial batch response (ReportBatchItemFailures)."""

    @logger.inject_lambda_context
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        """Process one SQS batch; return the ids of the records that failed."""
        failed = failed_records(event["Records"], handle)
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in failed]}

    typed: WorkerHandler = handler  # the decorator erases the signature
    return typed

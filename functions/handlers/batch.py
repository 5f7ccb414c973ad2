"""The worker: SQS batches in, each record applied once, only failed records reported back."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from movies.aws.writer import EventWriter
from movies.domain.messages import decode

RecordHandler = Callable[[SQSRecord], None]
WorkerHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def record_handler(writer: EventWriter, logger: Logger) -> RecordHandler:
    """Apply one record; any exception fails this record alone and SQS redelivers it."""

    def handle(record: SQSRecord) -> None:
        attribute = record.message_attributes["correlation_id"]
        logger.set_correlation_id(attribute.string_value if attribute else None)
        message = decode(record.body)  # a poison body raises here, and lands in the DLQ in time
        applied = writer.apply(message)
        logger.info(
            "applied" if applied else "duplicate ignored",
            extra={"event_id": str(message.event_id), "type": message.type},
        )

    return handle


def worker_handler(handle: RecordHandler, logger: Logger) -> WorkerHandler:
    """The Lambda handler: a Powertools BatchProcessor reporting partial batch failures."""
    processor = BatchProcessor(event_type=EventType.SQS)

    @logger.inject_lambda_context
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        """Process one SQS batch; return the ids of the records that failed."""
        response = process_partial_response(
            event=event, record_handler=handle, processor=processor, context=context
        )
        return dict(response)

    typed: WorkerHandler = handler  # the decorator erases the signature
    return typed

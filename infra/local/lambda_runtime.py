"""Lambda's side of the local stack: the context the runtime passes, SQS events, sample events.

Shared by the pollers, `make run-lambda`, the bench probes and the tests; EVENTS is the folder
of committed sample events the handlers are invoked with.
"""

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools.utilities.typing import LambdaContext

from infra.local.aws_env import REGION, arn

if TYPE_CHECKING:
    from mypy_boto3_sqs.type_defs import MessageTypeDef

EVENTS = Path(__file__).resolve().parents[2] / "events"


@dataclass
class LocalContext:
    """A Lambda context object, as the runtime passes one."""

    function_name: str = "movie-api-local"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = arn("lambda", "function:movie-api-local")
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/movie-api-local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's timeout."""
        return 20_000


def local_context(**fields: Any) -> LambdaContext:
    """A LocalContext typed as the Lambda context the handlers declare."""
    return cast(LambdaContext, LocalContext(**fields))


def sqs_event(messages: list["MessageTypeDef"], queue_arn: str) -> dict[str, Any]:
    """The event Lambda passes to a function subscribed to the queue, from received messages."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in message.get("MessageAttributes", {}).items()
                },
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for message in messages
        ]
    }

"""The TaskQueue on SQS: post-response work leaves before we answer."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from movies.domain.messages import Message, MessageTooLarge, encode
from movies.errors import QueueUnavailable
from movies.lazy import Lazy

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class SqsTaskQueue:
    """The TaskQueue port on SQS: SendMessage runs on a worker thread, never on the event loop.

    The send is awaited: on Lambda it completes before the handler returns, and under uvicorn a
    202 is only ever answered for a message SQS has accepted.
    """

    def __init__(
        self, client: Callable[[], "SQSClient"], queue_url: str, max_threads: int = 32
    ) -> None:
        # boto3 loads on the first send, not at cold start
        self._client = Lazy(client, "SQS client")
        self._queue_url = queue_url
        # Own pool: the default executor has only cpu + 4 threads and is shared with others.
        self._threads = ThreadPoolExecutor(max_threads, thread_name_prefix="sqs-send")

    async def send(self, message: Message, *, correlation_id: str) -> None:
        """Enqueue one message with its type and the request's correlation id as attributes."""
        try:
            body = encode(message)
        except MessageTooLarge as exc:
            raise QueueUnavailable(str(exc)) from exc
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(
                self._threads, self._send, body, message.type, correlation_id
            )
        except (BotoCoreError, ClientError) as exc:
            raise QueueUnavailable("the task queue did not accept the message") from exc

    def _send(self, body: str, message_type: str, correlation_id: str) -> None:
        self._client.get().send_message(
            QueueUrl=self._queue_url,
            MessageBody=body,
            MessageAttributes={
                "type": {"DataType": "String", "StringValue": message_type},
                "correlation_id": {"DataType": "String", "StringValue": correlation_id},
            },
        )

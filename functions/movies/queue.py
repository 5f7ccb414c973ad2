"""The TaskQueue port and its SQS adapter: post-response work leaves before we answer."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from movies.errors import QueueUnavailable
from movies.lazy import Lazy
from movies.messages import Message, MessageTooLarge, encode

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class TaskQueue(Protocol):
    """Where work that need not delay the user is sent."""

    async def send(self, message: Message, *, correlation_id: str) -> None:
        """Enqueue `message`; raise QueueUnavailable if it was not accepted."""
        ...


class SqsTaskQueue:
    """Sends each message with SendMessage on a worker thread, so the event loop never blocks.

    The send is awaited: on Lambda it completes before the handler returns, and under uvicorn a
    202 is only ever answered for a message SQS has accepted.
    """

    def __init__(
        self, client: Callable[[], "SQSClient"], queue_url: str, max_threads: int = 32
    ) -> None:
        self._client = Lazy(client)  # boto3 loads on the first send, not at cold start
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


class InMemoryTaskQueue:
    """A test fake that keeps what was sent; set `fail` to make every send fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[Message, str]] = []
        self.fail = False

    async def send(self, message: Message, *, correlation_id: str) -> None:
        """Record the message, or raise QueueUnavailable when `fail` is set."""
        if self.fail:
            raise QueueUnavailable("injected queue failure")
        encode(message)
        self.sent.append((message, correlation_id))

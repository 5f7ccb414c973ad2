"""The API with SQS faults injected at the queue adapter: the soak test's app factory.

Infra only, never deployed: `uvicorn infra.soak.faulty_app:create_app --factory` serves the real
app, whose SqsTaskQueue refuses a seeded fraction of sends (QUEUE_FAULT_RATE, QUEUE_FAULT_SEED)
with QueueUnavailable, before anything is sent, as the adapter does when SQS itself refuses.
"""

import os
import random

from starlette.types import ASGIApp

from infra.gateway.app import behind_gateway
from movies.aws.factories import build_task_queue
from movies.domain.messages import Message
from movies.domain.ports import TaskQueue
from movies.errors import QueueUnavailable
from movies.main import build_app
from movies.settings import Settings

# The detail of an injected refusal: the soak tells them from real SQS failures by it.
INJECTED_DETAIL = "injected queue fault"


class FaultyTaskQueue:
    """Refuses a seeded `rate` of sends before they reach the wrapped queue."""

    def __init__(self, queue: TaskQueue, rate: float, seed: int = 0) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be in [0, 1], got {rate}")
        self._queue = queue
        self._rate = rate
        # One event loop draws in arrival order: the same seed gives the same refusal sequence.
        self._random = random.Random(seed)  # noqa: S311 - fault injection, not security
        self.refused = 0

    async def send(self, message: Message, *, correlation_id: str) -> None:
        """Refuse with QueueUnavailable, or pass the message on."""
        if self._random.random() < self._rate:
            self.refused += 1
            raise QueueUnavailable(INJECTED_DETAIL)
        await self._queue.send(message, correlation_id=correlation_id)


def create_app() -> ASGIApp:
    """The real app over SQS (QUEUE_URL, AWS_ENDPOINT_URL), its queue refusing some sends."""
    settings = Settings()
    rate = float(os.environ.get("QUEUE_FAULT_RATE", "0.01"))
    seed = int(os.environ.get("QUEUE_FAULT_SEED", "0"))
    app = build_app(settings, queue=FaultyTaskQueue(build_task_queue(settings), rate, seed))
    return behind_gateway(app)

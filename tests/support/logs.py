"""A Powertools logger of a test's own, writing to a stream the test reads."""

import uuid
from typing import IO, Any

from aws_lambda_powertools import Logger


def fresh_logger(prefix: str, stream: IO[str], **options: Any) -> Logger:
    """A logger writing to `stream`, under a service name `prefix`-<random> no other test uses.

    Powertools configures a service's logger once per process: only a new name gets a handler on
    this stream (and these `options`, a formatter say).
    """
    return Logger(service=f"{prefix}-{uuid.uuid4().hex}", stream=stream, **options)

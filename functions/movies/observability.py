"""Observability shared by every place the app runs: the JSON logger and in-process counters."""

import logging
from collections import Counter

from aws_lambda_powertools import Logger

from movies.log_format import LeanFormatter


def build_logger(log_file: str | None = None) -> Logger:
    """Create the JSON logger; POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL keep their meaning.

    With `log_file` set, the same JSON lines are appended to that file too (request.log locally).
    """
    # No line here prints the thread, process or asyncio task, so the records need not collect
    # them (the logging HOWTO's "Optimization"); findCaller stays, for `location`.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    # Nor the asyncio task (3.12+; typeshed does not know the flag yet).
    setattr(logging, "logAsyncioTasks", False)  # noqa: B010
    logger = Logger(logger_formatter=LeanFormatter())
    if log_file and not any(
        isinstance(handler, logging.FileHandler) and handler.baseFilename.endswith(log_file)
        for handler in logger.handlers
    ):
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(logger.registered_formatter)
        logger.addHandler(file_handler)
    return logger


class InProcessCounters:
    """The Counters port in memory, for uvicorn and the tests (Lambda uses EMF metrics)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def increment(self, name: str) -> None:
        """Count one occurrence of `name`."""
        self.counts[name] += 1

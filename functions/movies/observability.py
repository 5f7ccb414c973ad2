"""The Powertools logger every module shares, with an optional local log file."""

import logging

from aws_lambda_powertools import Logger


def build_logger(log_file: str | None = None) -> Logger:
    """Create the JSON logger; POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL keep their meaning.

    With `log_file` set, the same JSON lines are appended to that file too (request.log locally).
    """
    logger = Logger()
    if log_file and not any(
        isinstance(handler, logging.FileHandler) and handler.baseFilename.endswith(log_file)
        for handler in logger.handlers
    ):
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setFormatter(logger.registered_formatter)
        logger.addHandler(file_handler)
    return logger

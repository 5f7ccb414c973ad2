"""The lean formatter writes exactly the line Powertools' own formatter writes, key for key."""

import io
import json
import logging
import uuid
from typing import Any

import pytest
from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from movies.log_format import LeanFormatter
from tests.support.logs import fresh_logger


def lines(formatter: LambdaPowertoolsFormatter, emit: Any) -> list[str]:
    stream = io.StringIO()
    # A new logger name each time, the same service in the line.
    logger = fresh_logger("fmt", stream, logger_formatter=formatter)
    logger.append_keys(service="movie-api")
    logger.append_keys(function_name="movie-api", cold_start=True)
    logger.set_correlation_id("corr-1")
    emit(logger)
    return stream.getvalue().splitlines()


def request_line(logger: Logger) -> None:
    extra = {"method": "GET", "route": None, "path": "/health", "status": 200, "duration_ms": 0.5}
    logger.info("request", extra={**extra, "request_id": "r1"})


def boom(logger: Logger) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("unhandled error", extra={"request_id": "r2"})


@pytest.mark.parametrize(
    "emit",
    [
        request_line,
        lambda logger: logger.warning("catalog failed", extra={"status": 504}),
        lambda logger: logger.info("applied %s", "e1"),  # %-args: Powertools' path
        lambda logger: logger.info('{"already": "json"}'),  # a JSON message: decoded
        lambda logger: logger.info("true"),
        lambda logger: logger.info({"a": 1}),
        boom,
    ],
)
def test_the_lean_line_is_powertools_line(emit: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-abc-def;Parent=1;Sampled=1")
    lean = lines(LeanFormatter(), emit)
    reference = lines(LambdaPowertoolsFormatter(), emit)
    assert len(lean) == len(reference) == 1
    lean_log, reference_log = json.loads(lean[0]), json.loads(reference[0])
    reference_log["timestamp"] = lean_log["timestamp"]  # two calls, two clocks
    assert list(lean_log) == list(reference_log)  # the same keys in the same order
    assert lean_log == reference_log
    if emit is request_line:
        assert lean_log["xray_trace_id"] == "1-abc-def"
        assert lean_log["correlation_id"] == "corr-1"


def test_the_request_logger_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from movies.observability import build_logger

    # Powertools configures a service's logger once per process: use a service of our own.
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", f"lean-{uuid.uuid4().hex}")
    logger = build_logger()
    assert isinstance(logger.registered_formatter, LeanFormatter)
    assert logging.getLogger(logger.name).handlers

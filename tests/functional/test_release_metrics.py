"""The figure the version's 5xx-rate alarm counts: the template's metric filter, run on the real
handler's access lines, selects a 5xx and nothing else, under the version that served it, and the
alarm reads that very metric for the version under test."""

import io
import json
from typing import Any

import pytest
from aws_lambda_powertools import Metrics

from handlers.http_event import http_api_event
from handlers.mangum_handler import lambda_handler
from infra.local.lambda_runtime import local_context
from movies.log_format import LeanFormatter
from tests.support.apps import app_with_fakes
from tests.support.fake_catalog import FakeCatalog
from tests.support.filter_pattern import matches
from tests.support.logs import fresh_logger
from tests.support.template import properties


def access_line(path: str, catalog: FakeCatalog | None = None) -> dict[str, Any]:
    """The access line version 7 of the API writes for GET `path` (its production formatter)."""
    stream = io.StringIO()
    logger = fresh_logger("release-metrics", stream, logger_formatter=LeanFormatter())
    app = app_with_fakes(catalog=catalog, logger=logger)
    handler = lambda_handler(app, logger, Metrics(namespace="MovieApiTest"))
    handler(http_api_event("GET", path, stage="dev"), local_context(function_version="7"))
    lines: list[dict[str, Any]] = [
        json.loads(text) for text in stream.getvalue().splitlines() if text.startswith("{")
    ]
    [line] = [line for line in lines if line.get("message") == "request"]
    return line


@pytest.fixture(scope="module")
def metric_filter(template: dict[str, Any]) -> dict[str, Any]:
    return properties(template, "ApiServerErrorsMetricFilter")


def test_the_filter_reads_the_api_functions_own_log_group(
    template: dict[str, Any], metric_filter: dict[str, Any]
) -> None:
    logging_config = properties(template, "ApiFunction")["LoggingConfig"]
    assert metric_filter["LogGroupName"] == logging_config["LogGroup"]


def test_a_5xx_is_counted_under_the_version_that_served_it(metric_filter: dict[str, Any]) -> None:
    line = access_line("/movies", FakeCatalog(fault="5xx"))
    assert line["status"] == 502
    assert matches(metric_filter["FilterPattern"], line)
    [transformation] = metric_filter["MetricTransformations"]
    [dimension] = transformation["Dimensions"]
    assert line[dimension["Value"].removeprefix("$.")] == "7"


@pytest.mark.parametrize(("path", "status"), [("/movies", 200), ("/movies/999", 404)])
def test_other_answers_are_not_counted(
    metric_filter: dict[str, Any], path: str, status: int
) -> None:
    line = access_line(path)
    assert line["status"] == status
    assert not matches(metric_filter["FilterPattern"], line)


def test_the_alarm_reads_that_metric_for_the_version_under_test(
    template: dict[str, Any], metric_filter: dict[str, Any]
) -> None:
    [transformation] = metric_filter["MetricTransformations"]
    [dimension] = transformation["Dimensions"]
    alarm = properties(template, "ApiVersionServerErrorRateAlarm")
    [errors] = [m["MetricStat"]["Metric"] for m in alarm["Metrics"] if m["Id"] == "errors"]
    assert errors["Namespace"] == transformation["MetricNamespace"]
    assert errors["MetricName"] == transformation["MetricName"]
    assert errors["Dimensions"] == [
        {"Name": dimension["Key"], "Value": {"Fn::GetAtt": ["ApiFunction", "Version.Version"]}}
    ]

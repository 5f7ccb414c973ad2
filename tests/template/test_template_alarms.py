"""The alarms see failures the functions' Errors cannot: each one's metric, threshold and action.

Mangum answers every app error, so the API's own 5xx rate and latency carry the failures; the
functions' Errors and Throttles see crashes and lack of concurrency; the task queue's age a
stuck worker. Every alarm notifies the one topic and tells the person paged where to look.
Which of them roll a release back, and why they watch the alias: test_template_release.py.
"""

import json
from typing import Any

import pytest

from infra.local.intrinsics import Resolver
from infra.local.template import resources_of_type

ACTIONS = {"Fn::If": ["HasAlarmEmail", [{"Ref": "AlarmTopic"}], {"Ref": "AWS::NoValue"}]}
HTTP_API = [
    {"Name": "ApiId", "Value": {"Ref": "HttpApi"}},
    {"Name": "Stage", "Value": {"Ref": "Stage"}},
]


@pytest.fixture(scope="module")
def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = resources_of_type(template, "AWS::CloudWatch::Alarm")
    return {name: alarm["Properties"] for name, alarm in found.items()}


def test_every_alarm_notifies_the_alarm_topic_both_ways(
    template: dict[str, Any], alarms: dict[str, dict[str, Any]]
) -> None:
    topic = template["Resources"]["AlarmTopic"]
    assert (topic["Type"], topic["Condition"]) == ("AWS::SNS::Topic", "HasAlarmEmail")
    assert len(alarms) == 10
    for name, alarm in alarms.items():
        assert alarm["AlarmActions"] == ACTIONS, name
        assert alarm["OKActions"] == ACTIONS, name
        assert alarm["TreatMissingData"] == "notBreaching", name  # idle is healthy


def test_every_description_says_what_to_look_at_first(
    template: dict[str, Any], alarms: dict[str, dict[str, Any]]
) -> None:
    for name, alarm in alarms.items():
        text = Resolver(template, {"CatalogUrl": "https://c"}).resolve(alarm["AlarmDescription"])
        assert "(dev)" in text, name  # the stage, so a page says which deployment
        assert "Look first at" in text or "inspect it" in text, name


def test_api_5xx_rate_is_5xx_over_count(alarms: dict[str, dict[str, Any]]) -> None:
    alarm = alarms["ApiServerErrorRateAlarm"]
    metrics = {m["Id"]: m for m in alarm["Metrics"]}
    for metric_id, name in (("errors", "5xx"), ("requests", "Count")):
        stat = metrics[metric_id]["MetricStat"]
        assert stat["Metric"]["Namespace"] == "AWS/ApiGateway"
        assert stat["Metric"]["MetricName"] == name
        assert stat["Metric"]["Dimensions"] == HTTP_API
        assert (stat["Stat"], metrics[metric_id]["ReturnData"]) == ("Sum", False)
    [returned] = [m for m in alarm["Metrics"] if m.get("ReturnData", True)]
    assert returned["Expression"] == "IF(requests >= 10, 100 * errors / requests, 0)"
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 5)
    assert (alarm["DatapointsToAlarm"], alarm["EvaluationPeriods"]) == (3, 5)


def test_api_p99_latency_pages_before_the_request_deadline(
    template: dict[str, Any], alarms: dict[str, dict[str, Any]]
) -> None:
    alarm = alarms["ApiLatencyAlarm"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/ApiGateway", "Latency")
    assert alarm["Dimensions"] == HTTP_API
    assert alarm["ExtendedStatistic"] == "p99"
    env = template["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert alarm["Threshold"] < float(env["REQUEST_DEADLINE_S"]) * 1000  # milliseconds
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


@pytest.mark.parametrize("function", ["ApiFunction", "WorkerFunction"])
@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_each_function_alarms_on_its_first_error_and_throttle(
    alarms: dict[str, dict[str, Any]], function: str, metric: str
) -> None:
    alarm = alarms[f"{function}{metric}Alarm"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", metric)
    # The alias, which is what API Gateway and the queue invoke; errors of the version it runs.
    alias = [
        {"Name": "FunctionName", "Value": {"Ref": function}},
        {"Name": "Resource", "Value": {"Fn::Sub": f"${{{function}}}:live"}},
    ]
    version = {"Name": "ExecutedVersion", "Value": {"Fn::GetAtt": [function, "Version.Version"]}}
    assert alarm["Dimensions"] == ([*alias, version] if metric == "Errors" else alias)
    assert (alarm["Statistic"], alarm["Period"]) == ("Sum", 60)
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)


def test_a_stuck_worker_is_seen_by_the_task_queue_age(alarms: dict[str, dict[str, Any]]) -> None:
    alarm = alarms["TaskQueueAgeAlarm"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/SQS", "ApproximateAgeOfOldestMessage")
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["TaskQueue", "QueueName"]}}
    ]
    assert alarm["Statistic"] == "Maximum"
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 300)
    # Five minutes in a row: a burst drains, a stuck worker does not.
    assert alarm["Period"] * alarm["EvaluationPeriods"] == 300


def test_the_dashboard_shows_every_alarmed_figure(template: dict[str, Any]) -> None:
    body = template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(body)["widgets"]
    shown = {
        tuple(line[:2])
        for widget in widgets
        for line in widget["properties"]["metrics"]
        if isinstance(line[0], str)
    }
    assert shown >= {
        ("AWS/ApiGateway", "5xx"),
        ("AWS/ApiGateway", "Count"),
        ("AWS/ApiGateway", "Latency"),
        ("AWS/Lambda", "Errors"),
        ("AWS/Lambda", "Throttles"),
        ("AWS/SQS", "ApproximateAgeOfOldestMessage"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible"),
    }


def test_the_versions_own_5xx_rate_and_latency_page_as_the_stages_do(
    alarms: dict[str, dict[str, Any]],
) -> None:
    """The rollback alarms of a release (test_template_release.py) weigh a version's figures as
    the stage's alarms weigh the API's: the same rate, threshold and minutes."""
    stage, version = alarms["ApiServerErrorRateAlarm"], alarms["ApiVersionServerErrorRateAlarm"]
    for key in ("Threshold", "ComparisonOperator", "EvaluationPeriods", "DatapointsToAlarm"):
        assert version[key] == stage[key], key
    [returned] = [m for m in version["Metrics"] if m.get("ReturnData", True)]
    # A minute without a 5xx has no ServerErrors data point, where the stage's 5xx is 0.
    assert returned["Expression"] == "IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)"
    stage, version = alarms["ApiLatencyAlarm"], alarms["ApiVersionLatencyAlarm"]
    assert (version["Namespace"], version["MetricName"]) == ("AWS/Lambda", "Duration")
    for key in ("ExtendedStatistic", "Threshold", "EvaluationPeriods", "DatapointsToAlarm"):
        assert version[key] == stage[key], key


def test_the_dashboard_shows_each_versions_figures(template: dict[str, Any]) -> None:
    body = template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    expressions = [
        line[0]["expression"]
        for widget in json.loads(body)["widgets"]
        for line in widget["properties"]["metrics"]
        if isinstance(line[0], dict) and line[0]["expression"].startswith("SEARCH(")
    ]
    assert any("FunctionVersion}" in e and "ServerErrors" in e for e in expressions)
    for function in ("ApiFunction", "WorkerFunction"):
        assert any("ExecutedVersion" in e and f"${{{function}}}:live" in e for e in expressions)

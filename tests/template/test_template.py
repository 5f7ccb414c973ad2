"""template.yaml, infra/samconfig.toml and infra/env.local.json hold the deployment's promises.

cfn-lint does not check everything on a SAM template (it skips unused parameters, for one), and
it knows nothing of the app: these tests pin what the app relies on.
"""

import json
import re
import tomllib
from typing import Any

import pytest

from infra.local.processes import ROOT
from infra.local.sam_local_env import ENV_VARS_FILE
from infra.local.template import resources_of_type
from movies.aws.table import TRENDING_INDEX
from movies.aws.trending import IDEMPOTENCY_TTL
from movies.domain.messages import MAX_MESSAGE_BYTES
from movies.settings import Settings
from tests.support.sam_transform import SAM_TOOL_DIR
from tests.support.template import properties

SAMCONFIG = ROOT / "infra" / "samconfig.toml"
FUNCTIONS_MAKEFILE = ROOT / "functions" / "Makefile"

# API Gateway ends every request at 29 s (HTTP API integrations at 30 s at most).
API_GATEWAY_LIMIT_S = 29
# SQS keeps a message at most 14 days.
SQS_MAX_RETENTION_S = 14 * 24 * 3600
SQS_DEFAULT_RETENTION_S = 4 * 24 * 3600
# The worker's trigger: an explicit event source mapping (test_template_permissions.py).
MAPPING = "WorkerFunctionTaskQueue"


def function_props(template: dict[str, Any], name: str) -> dict[str, Any]:
    """The function's properties with Globals.Function merged in, as SAM does."""
    globals_ = dict(template.get("Globals", {}).get("Function", {}))
    own = template["Resources"][name]["Properties"]
    merged = {**globals_, **own}
    env = {
        **globals_.get("Environment", {}).get("Variables", {}),
        **own.get("Environment", {}).get("Variables", {}),
    }
    merged["Environment"] = {"Variables": env}
    return merged


@pytest.fixture(scope="module")
def api(template: dict[str, Any]) -> dict[str, Any]:
    return function_props(template, "ApiFunction")


@pytest.fixture(scope="module")
def worker(template: dict[str, Any]) -> dict[str, Any]:
    return function_props(template, "WorkerFunction")


def _sam_policy_templates() -> dict[str, Any]:
    # The SAM CLI's own policy templates (make sam-tools installs it): what each template grants.
    found = sorted(
        SAM_TOOL_DIR.glob("**/samtranslator/policy_templates_data/policy_templates.json")
    )
    if not found:
        pytest.fail(f"SAM CLI not found under {SAM_TOOL_DIR}: run `make sam-tools`")
    templates: dict[str, Any] = json.loads(found[0].read_text())["Templates"]
    return templates


def _granted_actions(policy_template: dict[str, Any]) -> set[str]:
    actions: set[str] = set()
    for statement in policy_template["Definition"]["Statement"]:
        assert statement["Effect"] == "Allow"
        action = statement["Action"]
        actions |= {action} if isinstance(action, str) else set(action)
    return actions


def walk(node: Any) -> list[Any]:
    """Every dict, list and scalar under node."""
    found = [node]
    if isinstance(node, dict):
        for value in node.values():
            found += walk(value)
    elif isinstance(node, list):
        for value in node:
            found += walk(value)
    return found


def test_is_a_sam_template(template: dict[str, Any]) -> None:
    assert template["Transform"] == "AWS::Serverless-2016-10-31"


def test_api_function_runs_python313_on_arm64(api: dict[str, Any]) -> None:
    assert api["Runtime"] == "python3.13"
    assert api["Architectures"] == ["arm64"]


def test_api_function_code_and_handler(template: dict[str, Any], api: dict[str, Any]) -> None:
    assert api["CodeUri"] == "functions/"
    assert api["Handler"] == "handlers.api.handler"
    assert template["Resources"]["ApiFunction"]["Metadata"]["BuildMethod"] == "makefile"


def test_every_makefile_function_has_a_build_target(template: dict[str, Any]) -> None:
    makefile = FUNCTIONS_MAKEFILE.read_text()
    for name, res in resources_of_type(template, "AWS::Serverless::Function").items():
        if res.get("Metadata", {}).get("BuildMethod") == "makefile":
            assert re.search(rf"^[^#\n]*\bbuild-{name}\b[^\n]*:", makefile, re.M), name


def test_timeout_leaves_room_for_the_app_deadline_and_beats_the_gateway(
    api: dict[str, Any],
) -> None:
    deadline = float(api["Environment"]["Variables"]["REQUEST_DEADLINE_S"])
    # The app answers its own 504 at the deadline: before Lambda kills it, before the gateway quits.
    assert deadline < api["Timeout"] < API_GATEWAY_LIMIT_S


def test_gateway_integration_waits_longer_than_the_function(api: dict[str, Any]) -> None:
    for event in api["Events"].values():
        if event["Type"] == "HttpApi" and "TimeoutInMillis" in event["Properties"]:
            assert api["Timeout"] * 1000 < event["Properties"]["TimeoutInMillis"] <= 30_000


def test_tracing_is_active(api: dict[str, Any]) -> None:
    assert api["Tracing"] == "Active"


def test_environment_variables(api: dict[str, Any]) -> None:
    env = api["Environment"]["Variables"]
    for name in (
        "CATALOG_URL",
        "REQUEST_DEADLINE_S",
        "STAGE",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_LOG_LEVEL",
    ):
        assert name in env, name
    assert env["CATALOG_URL"] == {"Ref": "CatalogUrl"}
    assert env["STAGE"] == {"Ref": "Stage"}
    assert env["POWERTOOLS_LOG_LEVEL"] == {"Ref": "LogLevel"}
    assert env["QUEUE_URL"] == {"Ref": "TaskQueue"}
    assert env["TABLE_NAME"] == {"Ref": "Table"}


def test_the_catalog_cache_is_on_by_default_with_the_templates_ttl(
    template: dict[str, Any], api: dict[str, Any]
) -> None:
    assert api["Environment"]["Variables"]["CATALOG_CACHE_TTL_S"] == {"Ref": "CatalogCacheTtl"}
    ttl = template["Parameters"]["CatalogCacheTtl"]
    assert ttl["Default"] > 0  # Settings' own default (0) is off: the template turns it on
    assert Settings.model_fields["catalog_cache_ttl_s"].default == 0
    assert Settings.model_fields["catalog_shared_cache"].default is True


def test_every_log_group_has_a_retention(template: dict[str, Any]) -> None:
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    assert {"ApiAccessLogGroup", "ApiFunctionLogGroup", "WorkerFunctionLogGroup"} <= set(groups)
    for name, group in groups.items():
        assert group["Properties"].get("RetentionInDays"), name


def test_function_logs_to_its_own_log_group(api: dict[str, Any]) -> None:
    assert api["LoggingConfig"]["LogGroup"] == {"Ref": "ApiFunctionLogGroup"}


def test_every_function_logs_to_its_own_group_with_a_retention(template: dict[str, Any]) -> None:
    functions = resources_of_type(template, "AWS::Serverless::Function")
    assert {"ApiFunction", "WorkerFunction"} <= set(functions)
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    used = []
    for name in functions:
        group = function_props(template, name)["LoggingConfig"]["LogGroup"]["Ref"]
        assert group in groups, name
        assert groups[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionInDays"}
        used.append(group)
    assert len(set(used)) == len(used), f"functions share a log group: {used}"


def test_http_api_throttles_and_logs_access(template: dict[str, Any]) -> None:
    props = template["Resources"]["HttpApi"]["Properties"]
    assert template["Resources"]["HttpApi"]["Type"] == "AWS::Serverless::HttpApi"
    throttling = props["DefaultRouteSettings"]
    assert throttling["ThrottlingBurstLimit"]
    assert throttling["ThrottlingRateLimit"]
    assert props["AccessLogSettings"]["DestinationArn"] == {
        "Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]
    }
    access_format = json.loads(props["AccessLogSettings"]["Format"])
    assert "$context.requestId" in access_format.values()
    # Abuse is traced to an account: the caller's sub, and why a token was refused.
    assert access_format["user"] == "$context.authorizer.claims.sub"
    assert access_format["authorizerError"] == "$context.authorizer.error"
    assert props["StageName"] == {"Ref": "Stage"}
    assert props["CorsConfiguration"]["AllowOrigins"] == {"Ref": "CorsAllowOrigins"}
    assert "POST" in props["CorsConfiguration"]["AllowMethods"]  # browsers post ratings


def test_parameters(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    assert params["Stage"]["AllowedValues"] == ["dev", "prod"]
    assert params["CorsAllowOrigins"]["Type"] == "CommaDelimitedList"
    assert "*" not in params["CorsAllowOrigins"]["Default"]  # restrictive unless configured
    for name in ("CatalogUrl", "LogLevel", "ThrottlingBurstLimit", "ThrottlingRateLimit"):
        assert name in params
    # Optional: empty means an alarm without a notification.
    email = params["AlarmEmail"]
    assert re.fullmatch(email["AllowedPattern"], email["Default"])
    assert re.fullmatch(email["AllowedPattern"], "ops@example.com")
    assert not re.fullmatch(email["AllowedPattern"], "not an email")


def test_every_parameter_is_used(template: dict[str, Any]) -> None:
    # cfn-lint's unused-parameter rule is off for SAM templates.
    body = {key: value for key, value in template.items() if key != "Parameters"}
    nodes = walk(body)
    refs = {node["Ref"] for node in nodes if isinstance(node, dict) and "Ref" in node}
    subs = " ".join(
        str(node["Fn::Sub"]) for node in nodes if isinstance(node, dict) and "Fn::Sub" in node
    )
    for name in template["Parameters"]:
        assert name in refs or "${" + name + "}" in subs, f"parameter {name} is not used"


def test_outputs(template: dict[str, Any]) -> None:
    outputs = template["Outputs"]
    url = outputs["ApiUrl"]["Value"]["Fn::Sub"]
    assert url.startswith("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/")
    stage = template["Resources"]["HttpApi"]["Properties"].get("StageName", "$default")
    if stage != "$default":
        # A named stage is the first path segment of every URL.
        assert "/${Stage}/" in url
    assert outputs["ApiFunctionArn"]["Value"] == {"Fn::GetAtt": ["ApiFunction", "Arn"]}
    assert outputs["TaskQueueUrl"]["Value"] == {"Ref": "TaskQueue"}
    assert outputs["DeadLetterQueueUrl"]["Value"] == {"Ref": "TaskDeadLetterQueue"}
    assert outputs["TableName"]["Value"] == {"Ref": "Table"}


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_samconfig_environment(template: dict[str, Any], env: str) -> None:
    config = tomllib.loads(SAMCONFIG.read_text())
    deploy = config[env]["deploy"]["parameters"]
    overrides = dict(item.split("=", 1) for item in deploy["parameter_overrides"])
    assert overrides["Stage"] == env
    params = template["Parameters"]
    required = {name for name, spec in params.items() if "Default" not in spec}
    assert required <= set(overrides), f"{env}: no value for {required - set(overrides)}"
    for name, value in overrides.items():
        spec = params[name]
        if "AllowedValues" in spec:
            assert value in [str(v) for v in spec["AllowedValues"]], (env, name, value)
        if "AllowedPattern" in spec:
            assert re.fullmatch(spec["AllowedPattern"], value), (env, name, value)
    assert deploy["stack_name"].endswith(env)


def test_env_local_points_at_the_catalog_simulator(api: dict[str, Any]) -> None:
    env_vars = json.loads(ENV_VARS_FILE.read_text())
    local = env_vars["ApiFunction"]
    assert local["CATALOG_URL"] == "http://host.docker.internal:8001"
    # sam local ignores variables that the template does not declare.
    assert set(local) <= set(api["Environment"]["Variables"])


# --- Task queue, worker and table ---------------------------------------------------------------


def test_queues_and_table_are_encrypted(template: dict[str, Any]) -> None:
    for name in ("TaskQueue", "TaskDeadLetterQueue"):
        assert template["Resources"][name]["Type"] == "AWS::SQS::Queue"
        assert properties(template, name)["SqsManagedSseEnabled"] is True, name
    assert template["Resources"]["Table"]["Type"] == "AWS::DynamoDB::Table"
    assert properties(template, "Table")["SSESpecification"]["SSEEnabled"] is True


def test_task_queue_redrives_to_the_dlq_after_five_receives(template: dict[str, Any]) -> None:
    # tests/tools/test_local_resources.py: the local queue redrives as the template says.
    redrive = properties(template, "TaskQueue")["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["TaskDeadLetterQueue", "Arn"]}
    assert redrive["maxReceiveCount"] == 5


def test_visibility_timeout_covers_six_worker_timeouts(
    template: dict[str, Any], worker: dict[str, Any]
) -> None:
    # AWS's rule for a Lambda event source: at least 6 x the function's timeout, plus the
    # batching window, so a batch is not handed to a second worker while Lambda retries it.
    window = properties(template, MAPPING).get("MaximumBatchingWindowInSeconds", 0)
    visibility = properties(template, "TaskQueue")["VisibilityTimeout"]
    assert visibility >= 6 * worker["Timeout"] + window
    assert visibility <= 12 * 3600  # the SQS maximum


def test_queues_take_the_message_size_the_producer_checks(template: dict[str, Any]) -> None:
    # movies.domain.messages refuses larger bodies itself (moto does not enforce the limit).
    for name in ("TaskQueue", "TaskDeadLetterQueue"):
        assert properties(template, name)["MaximumMessageSize"] == MAX_MESSAGE_BYTES, name


def test_dlq_keeps_messages_longer_than_the_queue(template: dict[str, Any]) -> None:
    dlq = properties(template, "TaskDeadLetterQueue")["MessageRetentionPeriod"]
    queue = properties(template, "TaskQueue").get("MessageRetentionPeriod", SQS_DEFAULT_RETENTION_S)
    assert dlq == SQS_MAX_RETENTION_S
    # A standard queue keeps the original enqueue time in the DLQ: it must keep messages longer.
    assert queue < dlq
    # An idempotency record outlives every copy of its message.
    assert IDEMPOTENCY_TTL.total_seconds() > max(queue, dlq)


def test_table_has_point_in_time_recovery_and_ttl(template: dict[str, Any]) -> None:
    table = properties(template, "Table")
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["BillingMode"] == "PAY_PER_REQUEST"


def test_table_has_the_trending_index(template: dict[str, Any]) -> None:
    # tests/tools/test_local_resources.py: the local table has the template's keys and indexes.
    indexes = {i["IndexName"]: i for i in properties(template, "Table")["GlobalSecondaryIndexes"]}
    index = indexes[TRENDING_INDEX]
    assert index["KeySchema"] == [
        {"AttributeName": "trending", "KeyType": "HASH"},
        {"AttributeName": "impressions", "KeyType": "RANGE"},
    ]
    assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}


def test_worker_function(template: dict[str, Any], worker: dict[str, Any]) -> None:
    assert worker["CodeUri"] == "functions/"
    assert worker["Handler"] == "handlers.worker.handler"
    assert template["Resources"]["WorkerFunction"]["Metadata"]["BuildMethod"] == "makefile"
    assert worker["Runtime"] == "python3.13"
    assert worker["Architectures"] == ["arm64"]
    assert worker["Tracing"] == "Active"
    assert worker["MemorySize"] >= 128
    assert 0 < worker["Timeout"] <= 900
    env = worker["Environment"]["Variables"]
    assert env["TABLE_NAME"] == {"Ref": "Table"}
    assert env["POWERTOOLS_SERVICE_NAME"] == "movie-api-worker"
    assert env["POWERTOOLS_LOG_LEVEL"] == {"Ref": "LogLevel"}
    assert env["POWERTOOLS_METRICS_NAMESPACE"]


def test_worker_consumes_the_task_queue_reporting_partial_failures(
    template: dict[str, Any], worker: dict[str, Any]
) -> None:
    # An explicit mapping, not an `SQS` event (which brings SAM's managed policy for every queue):
    # test_template_permissions.py checks it and the role in the transformed template.
    assert "Events" not in worker
    assert template["Resources"][MAPPING]["Type"] == "AWS::Lambda::EventSourceMapping"
    sqs = properties(template, MAPPING)
    assert sqs["EventSourceArn"] == {"Fn::GetAtt": ["TaskQueue", "Arn"]}
    assert sqs["FunctionName"] == {"Ref": "WorkerFunction.Alias"}
    assert worker["AutoPublishAlias"] == "live"
    assert sqs["BatchSize"] == 10
    assert sqs["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert 0 <= sqs["MaximumBatchingWindowInSeconds"] <= 300
    assert 2 <= sqs["ScalingConfig"]["MaximumConcurrency"] <= 1000


def _on_leading_keys(sid: str, action: str, prefix: str) -> dict[str, Any]:
    """A statement allowing `action` on the table's items whose partition key starts `prefix`."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": action,
        "Resource": {"Fn::GetAtt": ["Table", "Arn"]},
        "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{prefix}*"]}},
    }


def test_each_function_is_granted_only_its_own_resources(
    template: dict[str, Any], api: dict[str, Any]
) -> None:
    # Each action and resource: tests/template/test_template_permissions.py, on SAM's output.
    assert api["Policies"][0] == {
        "SQSSendMessagePolicy": {"QueueName": {"Fn::GetAtt": ["TaskQueue", "QueueName"]}}
    }
    for name in resources_of_type(template, "AWS::Serverless::Function"):
        assert "Role" not in function_props(template, name), name
    assert not resources_of_type(template, "AWS::IAM::Role")
    assert not resources_of_type(template, "AWS::IAM::Policy")


def test_policy_templates_grant_what_the_code_calls() -> None:
    # The one policy template left: movies.aws.queue sends, and nothing else.
    assert _granted_actions(_sam_policy_templates()["SQSSendMessagePolicy"]) == {"sqs:SendMessage*"}


def test_dead_letter_alarm_watches_the_dlq(template: dict[str, Any]) -> None:
    alarm = resources_of_type(template, "AWS::CloudWatch::Alarm")["DeadLetterQueueAlarm"]
    alarm = alarm["Properties"]
    assert alarm["Namespace"] == "AWS/SQS"
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["TaskDeadLetterQueue", "QueueName"]}}
    ]
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["Threshold"] == 1


def test_every_checkov_skip_gives_its_reason(template: dict[str, Any]) -> None:
    # `make security` runs checkov; a check is skipped only in the resource's Metadata, with why.
    skipped = []
    for name, resource in template["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]), (name, skip)
            assert len(skip.get("comment", "").split()) >= 12, f"{name} {skip['id']}: say why"
            skipped.append((name, skip["id"]))
    assert len(skipped) == len(set(skipped)), skipped


def test_the_idempotency_keys_lifetime_is_the_apps_default(api: dict[str, Any]) -> None:
    # One lifetime, whichever way the app runs: the template's value is the setting's default.
    variables = api["Environment"]["Variables"]
    assert int(variables["IDEMPOTENCY_TTL_S"]) == Settings().idempotency_ttl_s == 24 * 3600


@pytest.mark.parametrize(
    ("parameter", "variable", "minimum"),
    [
        ("RatingsPerMinute", "RATINGS_PER_MINUTE", 1),
        ("RecommendationsPerMinute", "RECOMMENDATIONS_PER_MINUTE", 1),
        ("PublicMaxAge", "PUBLIC_MAX_AGE_S", 0),
        ("PublicStaleWhileRevalidate", "PUBLIC_STALE_WHILE_REVALIDATE_S", 0),
    ],
)
def test_tunable_settings_are_parameters_the_api_reads(
    template: dict[str, Any], api: dict[str, Any], parameter: str, variable: str, minimum: int
) -> None:
    # Per-caller limits and the public answers' Cache-Control: each environment sets its own.
    assert api["Environment"]["Variables"][variable] == {"Ref": parameter}
    declared = template["Parameters"][parameter]
    assert (declared["Type"], declared["MinValue"]) == ("Number", minimum)
    assert declared["Default"] == getattr(Settings(), variable.lower())


def test_the_trending_window_is_a_parameter_the_worker_reads(
    template: dict[str, Any], worker: dict[str, Any]
) -> None:
    variables = worker["Environment"]["Variables"]
    assert variables["TRENDING_WINDOW_HOURS"] == {"Ref": "TrendingWindowHours"}
    parameter = template["Parameters"]["TrendingWindowHours"]
    assert parameter["Default"] == Settings().trending_window_hours
    bounds = Settings.model_fields["trending_window_hours"].metadata
    assert (parameter["MinValue"], parameter["MaxValue"]) == (bounds[0].ge, bounds[1].le)

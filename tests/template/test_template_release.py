"""Releases: each function's alias moves to a new version through CodeDeploy, the API's only after
its pre-traffic hook says so, and every alarm that can roll a release back watches what the alias
runs. Checked on the template SAM's own transform makes (tests/support/sam_transform.py), and the
rules and patterns that refuse a release that cannot work, before anything changes."""

import re
import tomllib
from typing import Any

import pytest

from infra.local.intrinsics import Resolver
from infra.local.processes import ROOT
from tests.support.sam_transform import SAM_TOOL_DIR, transformed
from tests.support.template import properties

BASE = {"CatalogUrl": "https://catalog.example.com"}
SAMCONFIG = tomllib.loads((ROOT / "infra" / "samconfig.toml").read_text())
# The alarms that roll each function's release back.
ROLLBACK_ALARMS = {
    "ApiFunction": {
        "ApiFunctionErrorsAlarm",
        "ApiFunctionThrottlesAlarm",
        "ApiVersionServerErrorRateAlarm",
        "ApiVersionLatencyAlarm",
    },
    "WorkerFunction": {"WorkerFunctionErrorsAlarm", "WorkerFunctionThrottlesAlarm"},
}
# Lambda's function names have 64 characters at most.
FUNCTION_NAME_MAX = 64
# Until a minute's figures reach CloudWatch: Lambda's metrics, and a log metric filter's, arrive
# within about a minute; one more for the alarm's own evaluation.
METRIC_DELAY_S = 120


@pytest.fixture(scope="module")
def released() -> dict[str, Any]:
    result: dict[str, Any] = transformed(BASE)
    return result


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def version_of(released: dict[str, Any], function: str) -> str:
    """The logical id of the version SAM publishes for `function` (its alias points at it)."""
    alias = released["Resources"][f"{function}Aliaslive"]["Properties"]
    name, attribute = alias["FunctionVersion"]["Fn::GetAtt"]
    assert attribute == "Version"
    return str(name)


def sam_deployment_types() -> list[str]:
    """SAM's predefined deployment types, from the SAM CLI's own translator."""
    [source] = SAM_TOOL_DIR.glob(
        "**/samtranslator/model/preferences/deployment_preference_collection.py"
    )
    listed = re.search(r"PREDEFINED_CONFIGURATIONS_LIST = \[(.*?)\]", source.read_text(), re.S)
    assert listed is not None
    return re.findall(r'"(\w+)"', listed.group(1))


def test_each_function_deploys_through_its_own_deployment_group(
    released: dict[str, Any],
) -> None:
    [application] = of_type(released, "AWS::CodeDeploy::Application").values()
    assert application["Properties"]["ComputePlatform"] == "Lambda"
    groups = of_type(released, "AWS::CodeDeploy::DeploymentGroup")
    assert set(groups) == {f"{function}DeploymentGroup" for function in ROLLBACK_ALARMS}
    for function in ROLLBACK_ALARMS:
        group = groups[f"{function}DeploymentGroup"]["Properties"]
        assert group["DeploymentConfigName"] == {
            "Fn::Sub": [
                "CodeDeployDefault.Lambda${ConfigName}",
                {"ConfigName": "Canary10Percent10Minutes"},
            ]
        }
        rollback = group["AutoRollbackConfiguration"]
        assert rollback["Enabled"] is True
        assert {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"} <= set(rollback["Events"])
        update = released["Resources"][f"{function}Aliaslive"]["UpdatePolicy"]
        assert update["CodeDeployLambdaAliasUpdate"]["DeploymentGroupName"] == {
            "Ref": f"{function}DeploymentGroup"
        }


@pytest.mark.parametrize("deployment_type", ["AllAtOnce", "Linear10PercentEvery10Minutes"])
def test_the_shift_is_the_deployment_type_parameter(deployment_type: str) -> None:
    released = transformed({**BASE, "DeploymentType": deployment_type})
    for group in of_type(released, "AWS::CodeDeploy::DeploymentGroup").values():
        [_, names] = group["Properties"]["DeploymentConfigName"]["Fn::Sub"]
        assert names == {"ConfigName": deployment_type}


def test_what_invokes_the_functions_invokes_their_aliases(released: dict[str, Any]) -> None:
    """An alias nothing invokes would shift nothing, and its alarms would see nothing."""
    body = released["Resources"]["HttpApi"]["Properties"]["Body"]
    uris = [
        operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
        for operations in body["paths"].values()
        for operation in operations.values()
    ]
    assert uris
    assert all("${ApiFunctionAliaslive}" in uri for uri in uris)
    permissions = of_type(released, "AWS::Lambda::Permission").values()
    assert {str(p["Properties"]["FunctionName"]) for p in permissions} == {
        str({"Ref": "ApiFunctionAliaslive"})
    }
    mappings = of_type(released, "AWS::Lambda::EventSourceMapping").values()
    targets = [m["Properties"]["FunctionName"] for m in mappings]
    assert targets == [{"Ref": "WorkerFunctionAliaslive"}]


def test_the_api_alias_moves_only_after_the_pre_traffic_hook(released: dict[str, Any]) -> None:
    resources = released["Resources"]
    update = resources["ApiFunctionAliaslive"]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
    assert update["BeforeAllowTrafficHook"] == {"Ref": "ApiPreTrafficHook"}
    assert "AfterAllowTrafficHook" not in update
    worker = resources["WorkerFunctionAliaslive"]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
    assert "BeforeAllowTrafficHook" not in worker
    # The hook checks the version the alias is about to point at, and is not itself shifted.
    hook = resources["ApiPreTrafficHook"]["Properties"]
    assert hook["Environment"]["Variables"]["API_VERSION_ARN"] == {
        "Ref": version_of(released, "ApiFunction")
    }
    assert hook["Handler"] == "handlers.pre_traffic.handler"
    aliased = {
        str(a["Properties"]["FunctionName"])
        for a in of_type(released, "AWS::Lambda::Alias").values()
    }
    assert str({"Ref": "ApiPreTrafficHook"}) not in aliased


def test_codedeploys_role_may_invoke_the_hook_by_its_name(
    template: dict[str, Any], released: dict[str, Any]
) -> None:
    role = released["Resources"]["CodeDeployServiceRole"]["Properties"]
    # This managed policy lets CodeDeploy invoke functions named CodeDeployHook_* only.
    assert role["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"
    ]
    hook = template["Resources"]["ApiPreTrafficHook"]
    assert hook["Properties"]["FunctionName"]["Fn::Sub"].startswith("CodeDeployHook_")
    assert "DeploymentPreference" not in hook["Properties"]
    assert "AutoPublishAlias" not in hook["Properties"]


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_the_hooks_name_fits_lambdas_limit_for_each_stack(
    template: dict[str, Any], env: str
) -> None:
    stack = SAMCONFIG[env]["deploy"]["parameters"]["stack_name"]
    declared = properties(template, "ApiPreTrafficHook")["FunctionName"]
    name = Resolver(template, {**BASE, "AWS::StackName": stack}).resolve(declared)
    assert name == f"CodeDeployHook_{stack}-pre-traffic"
    assert len(name) <= FUNCTION_NAME_MAX
    # The longest stack name that fits, as the template's comment says.
    assert FUNCTION_NAME_MAX - (len(name) - len(stack)) == 37


def test_the_hook_may_invoke_only_the_version_it_tests_and_report(
    released: dict[str, Any],
) -> None:
    role = released["Resources"]["ApiPreTrafficHookRole"]["Properties"]
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    assert [(s["Effect"], s["Action"], s["Resource"]) for s in statements] == [
        ("Allow", "lambda:InvokeFunction", {"Ref": version_of(released, "ApiFunction")}),
        (
            "Allow",
            "codedeploy:PutLifecycleEventHookExecutionStatus",
            {
                "Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:"
                "deploymentgroup:${ServerlessDeploymentApplication}/${ApiFunctionDeploymentGroup}"
            },
        ),
    ]
    # Beside them, only what every function of the template has: its logs and X-Ray traces.
    assert role["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    ]


def _metrics(alarm: dict[str, Any]) -> list[dict[str, Any]]:
    """Every metric the alarm reads: its own, or each MetricStat of its metric math."""
    if "Metrics" in alarm:
        return [m["MetricStat"]["Metric"] for m in alarm["Metrics"] if "MetricStat" in m]
    keys = ("Namespace", "MetricName", "Dimensions")
    return [{key: alarm[key] for key in keys}]


@pytest.mark.parametrize("function", sorted(ROLLBACK_ALARMS))
def test_every_rollback_alarm_watches_what_the_alias_runs(
    released: dict[str, Any], function: str
) -> None:
    """Lambda's metrics of an alias carry Resource=<function>:live (and the version it ran as
    ExecutedVersion); a metric of the stage or of the whole function would mix the old version's
    figures into the new one's, or miss them."""
    resources = released["Resources"]
    group = resources[f"{function}DeploymentGroup"]["Properties"]["AlarmConfiguration"]
    assert group["Enabled"] is True
    names = {alarm["Name"]["Ref"] for alarm in group["Alarms"]}
    assert names == ROLLBACK_ALARMS[function]
    version = {"Fn::GetAtt": [version_of(released, function), "Version"]}
    alias = [
        {"Name": "FunctionName", "Value": {"Ref": function}},
        {"Name": "Resource", "Value": {"Fn::Sub": f"${{{function}}}:live"}},
    ]
    for name in names:
        for metric in _metrics(resources[name]["Properties"]):
            if metric["Namespace"] == "AWS/Lambda":
                dimensions = metric["Dimensions"]
                assert dimensions[:2] == alias, name
                # Errors, Duration, Invocations: the version under test; Throttles: the alias.
                assert dimensions[2:] in ([], [{"Name": "ExecutedVersion", "Value": version}]), name
                assert dimensions[2:] or metric["MetricName"] == "Throttles", name
            else:  # the app's own figure, from its log, tagged with the version that served it
                assert metric["Dimensions"] == [{"Name": "FunctionVersion", "Value": version}], name


def test_the_api_rollback_alarms_see_5xx_latency_crashes_and_throttles(
    released: dict[str, Any],
) -> None:
    resources = released["Resources"]
    seen = {
        metric["MetricName"]
        for name in ROLLBACK_ALARMS["ApiFunction"]
        for metric in _metrics(resources[name]["Properties"])
    }
    assert seen == {"ServerErrors", "Invocations", "Duration", "Errors", "Throttles"}


def _window_s(alarm: dict[str, Any]) -> int:
    """How many seconds of figures the alarm weighs before it fires."""
    periods = [m["MetricStat"]["Period"] for m in alarm.get("Metrics", []) if "MetricStat" in m]
    return int(alarm["EvaluationPeriods"] * max(periods or [alarm["Period"]]))


def _shift_s(deployment_type: str) -> int:
    """How long CodeDeploy takes to move all traffic: a canary's wait, or a linear type's nine
    intervals (10% more at each)."""
    canary = re.fullmatch(r"Canary10Percent(\d+)Minutes", deployment_type)
    if canary:
        return int(canary.group(1)) * 60
    linear = re.fullmatch(r"Linear10PercentEvery(\d+)Minutes?", deployment_type)
    assert linear, deployment_type
    return 9 * int(linear.group(1)) * 60


def test_every_gradual_type_lasts_longer_than_the_alarms_take_to_fire(
    template: dict[str, Any],
) -> None:
    allowed = template["Parameters"]["DeploymentType"]["AllowedValues"]
    assert set(allowed) <= set(sam_deployment_types())
    assert template["Parameters"]["DeploymentType"]["Default"] in allowed
    slowest = max(
        _window_s(properties(template, name))
        for names in ROLLBACK_ALARMS.values()
        for name in names
    )
    assert slowest == 300  # 3 of 5 one-minute periods
    for deployment_type in allowed:
        if deployment_type != "AllAtOnce":
            assert _shift_s(deployment_type) > slowest + METRIC_DELAY_S, deployment_type
    # Why SAM's shortest canary is not offered: the alarms would fire after it is over.
    assert _shift_s("Canary10Percent5Minutes") <= slowest + METRIC_DELAY_S


def _rules_hold(template: dict[str, Any], parameters: dict[str, Any]) -> dict[str, bool]:
    """Each rule of the template: whether it lets a stack with `parameters` be deployed."""
    resolver = Resolver(template, parameters)
    verdicts = {}
    for name, rule in template["Rules"].items():
        applies = "RuleCondition" not in rule or resolver.resolve(rule["RuleCondition"])
        verdicts[name] = not applies or all(
            resolver.resolve(a["Assert"]) for a in rule["Assertions"]
        )
    return verdicts


@pytest.mark.parametrize(
    ("stage", "deployment_type", "allowed"),
    [
        ("prod", "AllAtOnce", False),
        ("prod", "Canary10Percent10Minutes", True),
        ("prod", "Linear10PercentEvery1Minute", True),
        ("dev", "AllAtOnce", True),
    ],
)
def test_prod_releases_gradually(
    template: dict[str, Any], stage: str, deployment_type: str, allowed: bool
) -> None:
    parameters = {**BASE, "Stage": stage, "DeploymentType": deployment_type}
    assert _rules_hold(template, parameters)["GradualReleaseInProd"] is allowed


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_each_samconfig_environment_passes_every_rule(template: dict[str, Any], env: str) -> None:
    overrides = SAMCONFIG[env]["deploy"]["parameters"]["parameter_overrides"]
    parameters = dict(item.split("=", 1) for item in overrides)
    assert all(_rules_hold(template, parameters).values()), _rules_hold(template, parameters)


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://catalog.example.com", True),
        ("https://catalog.internal:8443/v1", True),
        ("http://catalog.example.com", False),
        ("http://host.docker.internal:8001", False),
        ("https://", False),
        ("https://catalog example.com", False),
    ],
)
def test_a_catalog_over_http_is_refused_before_anything_changes(
    template: dict[str, Any], url: str, accepted: bool
) -> None:
    """Prod's function refuses http:// at init; CloudFormation refuses the parameter first."""
    pattern = template["Parameters"]["CatalogUrl"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, url)) is accepted

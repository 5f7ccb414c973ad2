"""template.yaml, infra/samconfig.toml and infra/env.local.json hold the deployment's promises.

cfn-lint does not check everything on a SAM template (it skips unused parameters, for one), and
it knows nothing of the app: these tests pin what the app relies on.
"""

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template.yaml"
SAMCONFIG = ROOT / "infra" / "samconfig.toml"
ENV_LOCAL = ROOT / "infra" / "env.local.json"
FUNCTIONS_MAKEFILE = ROOT / "functions" / "Makefile"

# API Gateway ends every request at 29 s (HTTP API integrations at 30 s at most).
API_GATEWAY_LIMIT_S = 29


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short tags (!Ref, !Sub, !GetAtt...) as long forms."""


def _construct_cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    key = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {key: value}


_CfnLoader.add_multi_constructor("!", _construct_cfn_tag)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    loaded = yaml.load(path.read_text(), Loader=_CfnLoader)
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in template["Resources"].items() if res["Type"] == kind}


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


def test_every_log_group_has_a_retention(template: dict[str, Any]) -> None:
    groups = resources_of_type(template, "AWS::Logs::LogGroup")
    assert {"ApiAccessLogGroup", "ApiFunctionLogGroup"} <= set(groups)
    for name, group in groups.items():
        assert group["Properties"].get("RetentionInDays"), name


def test_function_logs_to_its_own_log_group(api: dict[str, Any]) -> None:
    assert api["LoggingConfig"]["LogGroup"] == {"Ref": "ApiFunctionLogGroup"}


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
    assert props["StageName"] == {"Ref": "Stage"}
    assert props["CorsConfiguration"]["AllowOrigins"] == {"Ref": "CorsAllowOrigins"}


def test_http_api_catches_every_route(api: dict[str, Any]) -> None:
    routes = set()
    for event in api["Events"].values():
        if event["Type"] != "HttpApi":
            continue
        assert event["Properties"]["ApiId"] == {"Ref": "HttpApi"}
        path = event["Properties"].get("Path")
        method = event["Properties"].get("Method", "ANY").upper()
        routes.add("$default" if path in (None, "$default") else f"{method} {path}")
    assert "$default" in routes or {"ANY /", "ANY /{proxy+}"} <= routes


def test_parameters(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    assert params["Stage"]["AllowedValues"] == ["dev", "prod"]
    assert params["CorsAllowOrigins"]["Type"] == "CommaDelimitedList"
    for name in ("CatalogUrl", "LogLevel", "ThrottlingBurstLimit", "ThrottlingRateLimit"):
        assert name in params


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
    env_vars = json.loads(ENV_LOCAL.read_text())
    local = env_vars["ApiFunction"]
    assert local["CATALOG_URL"] == "http://host.docker.internal:8001"
    # sam local ignores variables that the template does not declare.
    assert set(local) <= set(api["Environment"]["Variables"])

"""The pre-traffic hook against the real API handler: it lets a version through only when all three
checks answer right, and reports each verdict to CodeDeploy, faked at its boto3 boundary.

The version under test is the real Lambda handler (Mangum, the API Gateway glue, the app) with
the catalog faked at its transport and the table in memory, invoked through tests/support's
LocalLambda, which answers as Lambda's Invoke does: a result, a function error, a timeout.
CodeDeploy is a real boto3 client under botocore's Stubber (moto has no
PutLifecycleEventHookExecutionStatus), which checks the call against the service's model.
"""

import io
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from aws_lambda_powertools import Metrics
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.stub import Stubber

from handlers.mangum_handler import lambda_handler
from handlers.pre_traffic_hook import FAILED, SUCCEEDED, pre_traffic_handler
from handlers.release_checks import CHECK_USER
from infra.local.aws_env import CREDENTIALS, REGION
from infra.local.lambda_runtime import local_context
from infra.local.processes import ROOT
from tests.support.apps import app_with_fakes
from tests.support.fake_catalog import FakeCatalog
from tests.support.interpreter import offline_env
from tests.support.local_lambda import Handler, LocalLambda
from tests.support.logs import fresh_logger

ACCOUNT = "123456789012"
VERSION = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:movie-api-dev-ApiFunction-Ab12:7"
HOOK = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:CodeDeployHook_movie-api-dev-pre-traffic"
LIFECYCLE_EVENT = {"DeploymentId": "d-EXAMPLE11", "LifecycleEventHookExecutionId": "hook-exec-1"}


def api_version(catalog: FakeCatalog | None = None) -> Handler:
    """A new API version: the real handler over the real app, its catalog and table faked."""
    logger = fresh_logger("pre-traffic-api", io.StringIO())
    app = app_with_fakes(catalog=catalog, logger=logger)
    return lambda_handler(app, logger, Metrics(namespace="MovieApiTest"))


def tampered(path: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Handler:
    """A version that answers as the real one does, except at `path`, where `change` alters it."""
    real = api_version()

    def handler(event: dict[str, Any], context: Any) -> Any:
        result: dict[str, Any] = real(event, context)
        return change(result) if event["rawPath"].endswith(path) else result

    return handler


def without_claims(event: dict[str, Any], context: Any) -> Any:
    """A version whose gateway glue loses the authorizer's claims."""
    event["requestContext"].pop("authorizer", None)
    return api_version()(event, context)


def raises(event: dict[str, Any], context: Any) -> Any:
    raise RuntimeError("init failed: no module named movies")


def answers_500(event: dict[str, Any], context: Any) -> Any:
    body = json.dumps({"error": "internal", "detail": None, "request_id": "x"})
    return {"statusCode": 500, "headers": {"content-type": "application/json"}, "body": body}


@pytest.fixture
def codedeploy() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "codedeploy",
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()  # the hook reported, exactly once


def expect_report(stubber: Stubber, status: str) -> None:
    execution = LIFECYCLE_EVENT["LifecycleEventHookExecutionId"]
    stubber.add_response(
        "put_lifecycle_event_hook_execution_status",
        {"lifecycleEventHookExecutionId": execution},
        {
            "deploymentId": LIFECYCLE_EVENT["DeploymentId"],
            "lifecycleEventHookExecutionId": execution,
            "status": status,
        },
    )


def run_hook(lambdas: Any, codedeploy: Any, version: str = VERSION, stage: str = "dev") -> Any:
    hook = pre_traffic_handler(lambdas, codedeploy, version, stage, logging.getLogger("test-hook"))
    return hook(dict(LIFECYCLE_EVENT), local_context(invoked_function_arn=HOOK))


def test_a_version_that_answers_right_goes_on(codedeploy: tuple[Any, Stubber]) -> None:
    client, stubber = codedeploy
    expect_report(stubber, SUCCEEDED)
    lambdas = LocalLambda({VERSION: api_version()})
    assert run_hook(lambdas, client) == {"status": SUCCEEDED, "problems": []}
    # Each request went to the version under test, in the path API Gateway gives the dev stage.
    assert [(arn, event["rawPath"]) for arn, event in lambdas.calls] == [
        (VERSION, "/dev/health"),
        (VERSION, "/dev/movies"),
        (VERSION, "/dev/me/ratings"),
    ]
    personal = lambdas.calls[2][1]
    assert personal["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] == CHECK_USER
    assert personal["requestContext"]["accountId"] == ACCOUNT  # the hook's own account


def test_the_default_stage_adds_nothing_to_the_path(codedeploy: tuple[Any, Stubber]) -> None:
    client, stubber = codedeploy
    expect_report(stubber, SUCCEEDED)
    lambdas = LocalLambda({VERSION: api_version()})
    assert run_hook(lambdas, client, stage="$default")["status"] == SUCCEEDED
    assert [event["rawPath"] for _, event in lambdas.calls] == ["/health", "/movies", "/me/ratings"]


@pytest.mark.parametrize(
    ("version", "failing", "why"),
    [
        (answers_500, ["health", "catalog page", "personal route"], "status 500"),
        (api_version(FakeCatalog(fault="5xx")), ["catalog page"], "status 502"),
        (raises, ["health", "catalog page", "personal route"], "RuntimeError"),
        (without_claims, ["personal route"], "status 401"),
        (
            tampered("/health", lambda r: {**r, "body": '{"status": "starting"}'}),
            ["health"],
            "expected {'status': 'ok'}",
        ),
        (
            tampered("/movies", lambda r: {**r, "body": '{"items": [{"id": "1"}], "total": 1}'}),
            ["catalog page"],
            "expected movies with an id",
        ),
        (
            tampered("/me/ratings", lambda r: {**r, "body": "<html>ratings</html>"}),
            ["personal route"],
            "not JSON",
        ),
        (
            tampered("/health", lambda r: {**r, "headers": {"content-type": "application/json"}}),
            ["health"],
            "x-request-id",
        ),
    ],
    ids=[
        "answers-500",
        "catalog-down",
        "raises",
        "loses-the-claims",
        "wrong-health-body",
        "wrong-page-shape",
        "not-json",
        "no-request-id",
    ],
)
def test_a_version_that_answers_wrongly_is_rolled_back(
    codedeploy: tuple[Any, Stubber], version: Handler, failing: list[str], why: str
) -> None:
    client, stubber = codedeploy
    expect_report(stubber, FAILED)
    result = run_hook(LocalLambda({VERSION: version}), client)
    assert result["status"] == FAILED
    assert [problem.split(":")[0] for problem in result["problems"]] == failing
    assert all(why in problem for problem in result["problems"])


def test_a_version_that_hangs_fails_on_lambdas_timeout(codedeploy: tuple[Any, Stubber]) -> None:
    client, stubber = codedeploy
    expect_report(stubber, FAILED)
    lambdas = LocalLambda({}, timeout_s=0.2)
    lambdas.handlers[VERSION] = lambdas.hang
    try:
        result = run_hook(lambdas, client)
    finally:
        lambdas.close()
    assert len(result["problems"]) == 3
    assert all("Sandbox.Timedout" in problem for problem in result["problems"])


class TimingOut:
    """A Lambda client whose calls time out on the hook's side (its read timeout)."""

    def invoke(self, **_: Any) -> Any:
        raise ReadTimeoutError(endpoint_url="https://lambda.us-east-1.amazonaws.com")


class Broken:
    """A Lambda client that fails in a way nobody planned for."""

    def invoke(self, **_: Any) -> Any:
        raise TypeError("unexpected")


@pytest.mark.parametrize(
    ("lambdas", "why"),
    [
        (TimingOut(), "Read timeout"),
        (LocalLambda({}), "ResourceNotFoundException"),  # not this version: not invocable
        (Broken(), "the checks themselves failed"),
    ],
    ids=["read-timeout", "no-such-version", "hook-fault"],
)
def test_a_version_that_cannot_be_invoked_is_rolled_back(
    codedeploy: tuple[Any, Stubber], lambdas: Any, why: str
) -> None:
    client, stubber = codedeploy
    expect_report(stubber, FAILED)
    result = run_hook(lambdas, client)
    assert result["status"] == FAILED
    assert result["problems"]
    assert all(why in problem for problem in result["problems"])


def test_without_a_version_to_check_nothing_is_invoked_and_it_fails(
    codedeploy: tuple[Any, Stubber],
) -> None:
    client, stubber = codedeploy
    expect_report(stubber, FAILED)
    lambdas = LocalLambda({VERSION: api_version()})
    result = run_hook(lambdas, client, version="")
    assert result["problems"] == ["API_VERSION_ARN is not set: there is no version to check"]
    assert not lambdas.calls


def test_the_verdict_is_logged_with_the_problems(
    codedeploy: tuple[Any, Stubber], caplog: pytest.LogCaptureFixture
) -> None:
    client, stubber = codedeploy
    expect_report(stubber, FAILED)
    with caplog.at_level(logging.INFO, logger="test-hook"):
        run_hook(LocalLambda({VERSION: api_version(FakeCatalog(fault="timeout"))}), client)
    [line] = [json.loads(r.getMessage()) for r in caplog.records if r.name == "test-hook"]
    assert (line["status"], line["version"]) == (FAILED, VERSION)
    assert line["deployment_id"] == LIFECYCLE_EVENT["DeploymentId"]
    assert [problem.split(":")[0] for problem in line["problems"]] == ["catalog page"]


def test_a_report_that_cannot_be_sent_raises_so_lambda_retries(
    codedeploy: tuple[Any, Stubber],
) -> None:
    client, stubber = codedeploy
    stubber.add_client_error(
        "put_lifecycle_event_hook_execution_status", service_error_code="ThrottlingException"
    )
    with pytest.raises(ClientError, match="ThrottlingException"):
        run_hook(LocalLambda({VERSION: api_version()}), client)


def test_the_entry_module_builds_its_clients_from_the_sdk_alone() -> None:
    """The hook's artifact holds handlers/ and the AWS SDK only (functions/Makefile): its init
    must import nothing else of ours or of the API's dependencies."""
    script = (
        "import json, sys, handlers.pre_traffic as m\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    env = offline_env({"PATH": "/usr/bin:/bin"}, AWS_DEFAULT_REGION=REGION, API_VERSION_ARN=VERSION)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    imported = set(json.loads(done.stdout))
    assert {"boto3", "botocore", "handlers"} <= imported
    forbidden = {"movies", "fastapi", "pydantic", "starlette", "mangum", "aws_lambda_powertools"}
    assert not imported & forbidden

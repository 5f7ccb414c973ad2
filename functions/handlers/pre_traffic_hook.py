"""The pre-traffic hook: check the version under test, then tell CodeDeploy: go on, or roll back."""

import json
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from handlers.release_checks import problem, release_checks
from handlers.version_invoker import InvocationFailed, LambdaInvoke, invoke_version

SUCCEEDED = "Succeeded"
FAILED = "Failed"

HookHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


class LifecycleStatus(Protocol):
    """The one call of boto3's CodeDeploy client used here."""

    def put_lifecycle_event_hook_execution_status(
        self,
        *,
        deploymentId: str,
        lifecycleEventHookExecutionId: str,
        status: str,
    ) -> Any:
        """CodeDeploy's PutLifecycleEventHookExecutionStatus (botocore's parameter names)."""
        ...


def check_version(
    client: LambdaInvoke, version_arn: str, stage: str, account_id: str, region: str
) -> list[str]:
    """Every problem in the version's answers, as "check: problem"; none when it is fit."""
    if not version_arn:
        return ["API_VERSION_ARN is not set: there is no version to check"]
    problems = []
    for check in release_checks(stage, account_id, region, time.time()):
        try:
            wrong = problem(check, invoke_version(client, version_arn, check.event))
        except InvocationFailed as exc:
            wrong = str(exc)
        if wrong:
            problems.append(f"{check.name}: {wrong}")
    return problems


def pre_traffic_handler(
    client: LambdaInvoke,
    codedeploy: LifecycleStatus,
    version_arn: str,
    stage: str,
    logger: logging.Logger,
) -> HookHandler:
    """The hook's Lambda handler: checks `version_arn` served under `stage`, reports the verdict."""

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        """Run the checks on CodeDeploy's lifecycle event; report Succeeded or Failed to it."""
        # arn:aws:lambda:<region>:<account>:function:<name>: the API is in the hook's account.
        _, _, _, region, account_id, *_ = context.invoked_function_arn.split(":")
        try:
            problems = check_version(client, version_arn, stage, account_id, region)
        except Exception as exc:  # a fault of the hook fails the release at once, not in an hour
            problems = [f"the checks themselves failed: {exc!r}"]
        status = FAILED if problems else SUCCEEDED
        logger.info(
            json.dumps(
                {
                    "message": "pre-traffic checks",
                    "status": status,
                    "version": version_arn,
                    "deployment_id": event.get("DeploymentId"),
                    "problems": problems,
                }
            )
        )
        # A failure to report raises: Lambda retries the asynchronous invocation twice, and
        # CodeDeploy fails the release if no status ever comes.
        codedeploy.put_lifecycle_event_hook_execution_status(
            deploymentId=event["DeploymentId"],
            lifecycleEventHookExecutionId=event["LifecycleEventHookExecutionId"],
            status=status,
        )
        return {"status": status, "problems": problems}

    return handler

"""Invoke one Lambda function version with an event: its decoded answer, or why it gave none."""

import json
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

# How much of a failed invocation's error a message quotes.
QUOTED = 500


class InvocationFailed(Exception):
    """The version gave no answer: the call failed, or the function raised, crashed or timed out."""


class LambdaInvoke(Protocol):
    """The one call of boto3's Lambda client used here."""

    def invoke(self, *, FunctionName: str, InvocationType: str, Payload: bytes) -> Any:
        """Lambda's Invoke (botocore's parameter names)."""
        ...


def invoke_version(client: LambdaInvoke, function_arn: str, event: dict[str, Any]) -> Any:
    """The decoded answer of `function_arn` (a qualified ARN: one version) to `event`."""
    try:
        response = client.invoke(
            FunctionName=function_arn,
            InvocationType="RequestResponse",
            Payload=json.dumps(event).encode(),
        )
        payload: bytes = response["Payload"].read()
    except (BotoCoreError, ClientError) as exc:  # a read timeout is a BotoCoreError
        raise InvocationFailed(f"invoking {function_arn} failed: {exc}") from exc
    # Raised, crashed, ran out of memory or timed out: Lambda answers 200 and says so here.
    if response.get("FunctionError"):
        quoted = payload[:QUOTED].decode("utf-8", errors="replace")
        raise InvocationFailed(f"function error ({response['FunctionError']}): {quoted}")
    try:
        return json.loads(payload)
    except ValueError as exc:
        raise InvocationFailed(f"the answer is not JSON: {payload[:QUOTED]!r}") from exc

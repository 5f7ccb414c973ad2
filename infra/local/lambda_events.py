"""Lambda's side of the local stack: the context, SQS events, API Gateway events and results.

Shared by `make run-lambda`, the pollers, the bench probes and the tests. The API Gateway shapes
start from the committed samples in events/ (made with `sam local generate-event`).
"""

import base64
import copy
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast
from urllib.parse import parse_qsl

from aws_lambda_powertools.utilities.typing import LambdaContext

from infra.local.aws_env import REGION, arn

if TYPE_CHECKING:
    from mypy_boto3_sqs.type_defs import MessageTypeDef

Flavour = Literal["v2", "v1"]
EVENTS = Path(__file__).resolve().parents[2] / "events"
_SAMPLE = {"v2": EVENTS / "http-api" / "health.json", "v1": EVENTS / "rest-api" / "health.json"}
# Headers API Gateway's REST API does not pass to the integration (HTTP APIs forward them).
_REST_DROPPED_HEADERS = {"content-length"}
_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml")


@dataclass(frozen=True)
class HttpRequest:
    """The parts of an HTTP request an API Gateway event carries."""

    method: str
    path: str
    query: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


@dataclass
class LocalContext:
    """A Lambda context object, as the runtime passes one."""

    function_name: str = "movie-api-local"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = arn("lambda", "function:movie-api-local")
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/movie-api-local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's timeout."""
        return 20_000


def local_context(**fields: Any) -> LambdaContext:
    """A LocalContext typed as the Lambda context the handlers declare."""
    return cast(LambdaContext, LocalContext(**fields))


def sqs_event(messages: list["MessageTypeDef"], queue_arn: str) -> dict[str, Any]:
    """The event Lambda passes to a function subscribed to the queue, from received messages."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in message.get("MessageAttributes", {}).items()
                },
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for message in messages
        ]
    }


@cache
def _sample(flavour: Flavour) -> dict[str, Any]:
    sample: dict[str, Any] = json.loads(_SAMPLE[flavour].read_text())
    return sample


def _encode_body(body: bytes) -> tuple[str | None, bool]:
    if not body:
        return None, False
    try:
        return body.decode(), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode(), True


def to_event(request: HttpRequest, flavour: Flavour, stage: str = "$default") -> dict[str, Any]:
    """Build the event API Gateway would send for `request` (HTTP API 2.0 or REST 1.0)."""
    event = copy.deepcopy(_sample(flavour))
    request_id = str(uuid.uuid4())
    pairs = parse_qsl(request.query, keep_blank_values=True)
    multi_query: dict[str, list[str]] = {}
    for name, value in pairs:
        multi_query.setdefault(name, []).append(value)
    body, is_base64 = _encode_body(request.body)
    # request.path is the public path; a REST API strips its stage prefix, an HTTP API keeps it.
    prefix = "" if stage == "$default" else f"/{stage}"
    inner_path = request.path
    if prefix and (inner_path == prefix or inner_path.startswith(prefix + "/")):
        inner_path = inner_path[len(prefix) :] or "/"
    context = event["requestContext"]
    context.update(requestId=request_id, stage=stage)
    event.update(body=body, isBase64Encoded=is_base64)
    if flavour == "v2":
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for name, value in request.headers:
            if name.lower() == "cookie":
                cookies += [c.strip() for c in value.split(";") if c.strip()]
            else:
                key = name.lower()
                headers[key] = f"{headers[key]},{value}" if key in headers else value
        event.update(rawPath=request.path, rawQueryString=request.query, headers=headers)
        event["cookies"] = cookies or None
        event["queryStringParameters"] = {k: ",".join(v) for k, v in multi_query.items()} or None
        context["http"].update(method=request.method, path=request.path)
        return event
    multi_headers: dict[str, list[str]] = {}
    for name, value in request.headers:
        # A REST API does not forward Content-Length: the function must size the body itself.
        if name.lower() not in _REST_DROPPED_HEADERS:
            multi_headers.setdefault(name, []).append(value)
    event.update(
        httpMethod=request.method,
        path=inner_path,
        headers={k: v[-1] for k, v in multi_headers.items()},
        multiValueHeaders=multi_headers,
        queryStringParameters={k: v[-1] for k, v in multi_query.items()} or None,
        multiValueQueryStringParameters=multi_query or None,
        pathParameters={"proxy": inner_path.lstrip("/")},
    )
    context.update(path=request.path, httpMethod=request.method)
    return event


def from_result(result: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Turn a Lambda proxy result (either payload version) into status, headers and body."""
    headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(name, str(v)) for v in values]
    headers += [("set-cookie", cookie) for cookie in result.get("cookies") or ()]
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode()
    return int(result["statusCode"]), headers, body

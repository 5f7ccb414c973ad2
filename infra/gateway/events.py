"""API Gateway's events and results: a request as HTTP API (2.0) or REST API (1.0) events.

Shared by `make run-lambda`, the bench probes and the tests. The shapes start from the committed
samples in events/ (made with `sam local generate-event`).
"""

import base64
import copy
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal
from urllib.parse import parse_qsl

from infra.local.lambda_runtime import EVENTS

Flavour = Literal["v2", "v1"]
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

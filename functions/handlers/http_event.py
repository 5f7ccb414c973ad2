"""An HTTP API (payload 2.0) request event, built as API Gateway builds it for one of our routes.

The pre-traffic hook invokes a new API version with these, so that version sees what a user's
request would bring it: the stage in the path, the route key, lower-case headers, and for a
route behind the JWT authorizer the claims the authorizer verified. Standard library only: the
hook's artifact holds the AWS SDK and nothing else.
"""

import time
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

# What API Gateway puts in an event about the API and the caller. The hook knows neither the
# API's id nor a client, and the app reads none of them: these only keep the event's shape.
API_ID = "pre-traffic"
SOURCE_IP = "127.0.0.1"
USER_AGENT = "movie-api-pre-traffic"


def _query_parameters(query: str) -> dict[str, str] | None:
    """queryStringParameters as API Gateway makes them: a repeated name's values comma-joined."""
    joined: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined or None


def http_api_event(
    method: str,
    path: str,
    *,
    stage: str = "$default",
    query: str = "",
    claims: Mapping[str, str] | None = None,
    request_id: str | None = None,
    account_id: str = "123456789012",
    region: str = "us-east-1",
) -> dict[str, Any]:
    """The event of `method` on the route `path` (one without path parameters) under `stage`,
    authorized with `claims` if given; the API belongs to `account_id` in `region`."""
    # A named stage stays in the path an HTTP API passes; the $default stage adds nothing.
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    now = time.time()
    request_id = request_id or str(uuid.uuid4())
    domain = f"{API_ID}.execute-api.{region}.amazonaws.com"
    context: dict[str, Any] = {
        "accountId": account_id,
        "apiId": API_ID,
        "domainName": domain,
        "domainPrefix": API_ID,
        "http": {
            "method": method,
            "path": raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": SOURCE_IP,
            "userAgent": USER_AGENT,
        },
        "requestId": request_id,
        "routeKey": f"{method} {path}",
        "stage": stage,
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "timeEpoch": int(now * 1000),
    }
    if claims is not None:
        # HTTP API's JWT authorizer passes every claim as a string, and scopes only when the
        # route requires some (none of ours does).
        context["authorizer"] = {"jwt": {"claims": dict(claims), "scopes": None}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": raw_path,
        "rawQueryString": query,
        "headers": {
            "accept": "application/json",
            "host": domain,
            "user-agent": USER_AGENT,
            "x-forwarded-for": SOURCE_IP,
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
        },
        "requestContext": context,
        "isBase64Encoded": False,
    }
    parameters = _query_parameters(query)
    if parameters:
        event["queryStringParameters"] = parameters
    return event

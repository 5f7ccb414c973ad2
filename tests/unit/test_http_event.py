"""The hook's HTTP API events have API Gateway's shape: the keys of its published samples, the
stage in the path, the gateway's query parameters, the authorizer's claims where the glue reads
them, and the same request as the local gateway's events (infra.gateway.events)."""

import json

import pytest

from handlers.gateway import public_prefix, verified_claims
from handlers.http_event import http_api_event
from infra.gateway.events import HttpRequest, to_event
from infra.local.lambda_runtime import EVENTS

# Published by AWS (aws-lambda-go's testdata): a payload 2.0 event through a JWT authorizer.
SAMPLE = EVENTS / "samples" / "lambda-go-apigw-v2-request-jwt-authorizer.json"
# Keys the sample has that a GET without cookies, path parameters or stage variables lacks, and
# the mutual-TLS block an API without a client certificate never sends.
ABSENT_HERE = {"cookies", "pathParameters", "stageVariables", "body", "authentication"}


def test_the_event_has_the_keys_of_api_gateways_published_sample() -> None:
    sample = json.loads(SAMPLE.read_text())
    event = http_api_event(
        "GET", "/me/ratings", stage="dev", query="limit=1", claims={"sub": "alice"}
    )
    assert set(event) == set(sample) - ABSENT_HERE
    assert set(event["requestContext"]) == set(sample["requestContext"]) - ABSENT_HERE
    assert set(event["requestContext"]["http"]) == set(sample["requestContext"]["http"])
    assert set(event["requestContext"]["authorizer"]["jwt"]) == {"claims", "scopes"}
    assert event["version"] == "2.0"


@pytest.mark.parametrize(
    ("stage", "raw_path", "prefix"),
    [("dev", "/dev/movies", "/dev"), ("$default", "/movies", "")],
)
def test_a_named_stage_stays_in_the_path(stage: str, raw_path: str, prefix: str) -> None:
    event = http_api_event("GET", "/movies", stage=stage)
    assert event["rawPath"] == event["requestContext"]["http"]["path"] == raw_path
    assert (event["routeKey"], event["requestContext"]["stage"]) == ("GET /movies", stage)
    assert public_prefix(event, "") == prefix  # what the function strips before routing


def test_the_claims_are_where_the_glue_reads_them() -> None:
    claims = {"sub": "codedeploy-pre-traffic", "token_use": "access"}
    assert verified_claims(http_api_event("GET", "/me/ratings", claims=claims)) == claims
    assert verified_claims(http_api_event("GET", "/health")) is None


def test_it_is_the_local_gateways_event_for_the_same_request() -> None:
    ours = http_api_event("GET", "/movies", stage="dev", query="genre=a&genre=b&limit=1")
    local = to_event(HttpRequest("GET", "/dev/movies", "genre=a&genre=b&limit=1"), "v2", "dev")
    for key in ("version", "rawPath", "rawQueryString", "queryStringParameters"):
        assert ours[key] == local[key], key
    assert ours["queryStringParameters"] == {"genre": "a,b", "limit": "1"}
    for key in ("method", "path", "protocol"):
        assert ours["requestContext"]["http"][key] == local["requestContext"]["http"][key], key
    assert ours["requestContext"]["stage"] == local["requestContext"]["stage"]


def test_each_event_has_its_own_request_id_unless_given() -> None:
    first, second = (http_api_event("GET", "/health") for _ in range(2))
    assert first["requestContext"]["requestId"] != second["requestContext"]["requestId"]
    given = http_api_event("GET", "/health", request_id="pre-traffic-1")
    assert given["requestContext"]["requestId"] == "pre-traffic-1"

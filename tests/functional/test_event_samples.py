"""Events nobody on the team wrote: AWS's and Powertools' published samples (events/samples),
each answered in its own shape, and the shapes API Gateway really sends (no Content-Length on
REST, the stage in an HTTP API 1.0 path, a custom domain's mapping key, broken base64)."""

import io
import json
from typing import Any

import httpx
import pytest
from aws_lambda_powertools import Metrics, Tracer

from handlers.mangum_handler import IGNORED, LambdaHandler, lambda_handler
from infra.gateway.events import HttpRequest, to_event
from infra.local.lambda_runtime import EVENTS, LocalContext
from movies.api.middleware.limits import MAX_BODY_BYTES
from tests.support.apps import app_with_fakes
from tests.support.lambda_transport import LambdaTransport
from tests.support.logs import fresh_logger

SAMPLES = EVENTS / "samples"
# Each sample's answer: (status, error) for an API Gateway event, None for a refused one.
EXPECTED: dict[str, tuple[int, str | None] | None] = {
    "powertools-apiGatewayProxyEvent": (404, "not_found"),  # HTTP API payload 1.0
    "powertools-apiGatewayProxyV2Event": (415, "unsupported_media_type"),  # a body, no type
    "lambda-go-apigw-request": (404, "not_found"),  # REST, stage testStage
    "lambda-go-apigw-v2-request-jwt-authorizer": (404, "not_found"),
    "lambda-go-apigw-v2-request-no-authorizer": (200, None),  # rawPath "/": the index
    "adjusted-lambda-go-apigw-request-text-plain-rating": (415, "unsupported_media_type"),
    "adjusted-powertools-apiGatewayProxyEvent-named-stage-health": (200, None),
    "adjusted-powertools-apiGatewayProxyV2Event-bad-base64": (400, "bad_request"),
    "adjusted-lambda-go-apigw-v2-request-jwt-authorizer-mapping-key": (200, None),
    "powertools-albEvent": None,
    "lambda-go-alb-lambda-target-request-headers-only": None,
    "powertools-lambdaFunctionUrlEvent": None,
    "lambda-go-lambda-urls-request": None,
}


def build(base_path: str = "v1", stream: io.StringIO | None = None) -> LambdaHandler:
    logger = fresh_logger("samples", stream or io.StringIO())
    return lambda_handler(
        app_with_fakes(logger=logger), logger, Metrics(), Tracer(disabled=True), base_path
    )


def test_every_committed_sample_has_an_expected_answer() -> None:
    assert {path.stem for path in SAMPLES.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_is_answered_in_its_own_shape(name: str) -> None:
    event = json.loads((SAMPLES / f"{name}.json").read_text())
    result = build()(event, LocalContext())
    expected = EXPECTED[name]
    if expected is None:
        # ALB and function URL events bypass the authorizer, throttling and CORS: refused.
        assert result == IGNORED
        return
    status, error = expected
    # The proxy result shape both payload versions accept; ALB's statusDescription never used.
    assert set(result) <= {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}
    assert result["statusCode"] == status
    assert result["headers"]["content-type"].startswith("application/json")
    body = json.loads(result["body"])
    if error is not None:
        assert body["error"] == error
        # API Gateway's request id, or the app's own where the sample's is not a safe one.
        assert body["request_id"]
        assert body["request_id"] == result["headers"]["x-request-id"]


def test_undecodable_base64_is_logged() -> None:
    stream = io.StringIO()
    sample = SAMPLES / "adjusted-powertools-apiGatewayProxyV2Event-bad-base64.json"
    event = json.loads(sample.read_text())
    assert build(stream=stream)(event, LocalContext())["statusCode"] == 400
    assert "not base64" in stream.getvalue()


@pytest.mark.parametrize(("stage", "path"), [("$default", "/v1"), ("dev", "/v1"), ("dev", "/dev")])
async def test_mapping_key_or_stage_is_the_root_path(stage: str, path: str) -> None:
    transport = LambdaTransport(build("v1"), "v2", stage)
    async with httpx.AsyncClient(transport=transport, base_url=f"https://api.test{path}") as api:
        docs = await api.get("/docs")
        spec = await api.get("/openapi.json")
        health = await api.get("/health")
    assert transport.events[0]["rawPath"] == f"{path}/docs"  # the key stays in the path
    assert f"'{path}/openapi.json'" in docs.text or f'"{path}/openapi.json"' in docs.text
    assert spec.json()["info"]["title"] == "Movie API"
    assert health.json() == {"status": "ok"}


def test_without_a_mapping_key_a_prefixed_path_is_not_found() -> None:
    event = to_event(HttpRequest("GET", "/v1/health"), "v2")
    assert build(base_path="")(event, LocalContext())["statusCode"] == 404


@pytest.mark.parametrize(("flavour", "stage"), [("v1", "Prod"), ("v2", "$default")])
async def test_a_text_body_is_415_whatever_the_payload_version(flavour: Any, stage: str) -> None:
    prefix = "" if stage == "$default" else f"/{stage}"
    transport = LambdaTransport(build(""), flavour, stage)
    async with httpx.AsyncClient(transport=transport, base_url=f"https://gw.test{prefix}") as api:
        response = await api.post("/me/ratings", content=b"five stars")
    assert (response.status_code, response.json()["error"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize(("flavour", "stage"), [("v1", "Prod"), ("v2", "$default")])
async def test_an_oversized_body_is_413_whatever_the_payload_version(
    flavour: Any, stage: str
) -> None:
    prefix = "" if stage == "$default" else f"/{stage}"
    transport = LambdaTransport(build(""), flavour, stage)
    async with httpx.AsyncClient(transport=transport, base_url=f"https://gw.test{prefix}") as api:
        response = await api.post(
            "/me/ratings",
            content=b"[" + b"1," * (MAX_BODY_BYTES // 2) + b"1]",
            headers={"content-type": "application/json"},
        )
    assert (response.status_code, response.json()["error"]) == (413, "payload_too_large")

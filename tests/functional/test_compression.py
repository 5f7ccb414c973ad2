"""JSON answers over 1 KiB are gzipped for clients that accept it, on every path; others not."""

import base64
import gzip
import json

import httpx
from aws_lambda_powertools import Logger, Metrics, Tracer

from handlers.mangum_handler import lambda_handler
from infra.local.lambda_runtime import EVENTS, local_context
from tests.support.apps import app_with_fakes
from tests.support.fake_catalog import decode


async def test_large_answers_are_gzipped_when_accepted(api: httpx.AsyncClient) -> None:
    path = "/openapi.json"  # about 20 KB
    plain = await api.get(path, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert len(plain.content) > 1024
    zipped = await api.get(path, headers={"accept-encoding": "gzip, deflate"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["vary"].lower()
    # httpx decodes the body as a browser would; it is the same JSON.
    assert json.loads(zipped.content) == json.loads(plain.content)


async def test_small_answers_are_never_compressed(api: httpx.AsyncClient) -> None:
    response = await api.get("/health", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in response.headers
    assert decode(response) == {"status": "ok"}


def test_through_the_lambda_handler_the_body_is_base64_gzip() -> None:
    app = app_with_fakes()
    handler = lambda_handler(app, Logger(service="gzip-test"), Metrics(), Tracer(disabled=True))
    event = json.loads((EVENTS / "http-api" / "openapi.json").read_text())
    event["headers"]["accept-encoding"] = "gzip"
    result = handler(event, local_context())
    assert result["isBase64Encoded"] is True
    assert result["headers"]["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(base64.b64decode(result["body"])))["openapi"]

"""The Lambda path: real event shapes, warm reuse, Powertools context and metrics, odd events."""

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from aws_lambda_powertools import Metrics, Tracer
from fastapi import FastAPI, Request

from handlers.mangum_handler import LambdaHandler, lambda_handler
from handlers.metrics import latency_metric
from infra.local.lambda_runtime import EVENTS, LocalContext
from infra.local.processes import HOST, LocalStack, free_port
from infra.local.services import catalog_service
from movies.catalog.fetchers import build_fetcher
from movies.settings import Settings
from tests.support.apps import app_with_fakes
from tests.support.counting_proxy import CountingProxy
from tests.support.lambda_transport import LambdaTransport
from tests.support.logs import fresh_logger

EXPECTED_STATUS = {
    "health": 200,
    "movies": 200,
    "blocking-movies": 200,
    "movie": 200,
    "movie-not-found": 404,
    "recommendations": 200,
    "invalid-query": 422,
    "docs": 200,
    "openapi": 200,
    "rate-movie": 202,
    "my-ratings": 200,
    "trending": 200,
}


def build(stream: io.StringIO | None = None, **fakes: Any) -> tuple[LambdaHandler, FastAPI]:
    logger = fresh_logger("lambda-test", stream or io.StringIO())
    metrics = Metrics(namespace="MovieApiTest")
    app = app_with_fakes(logger=logger, observers=(latency_metric(metrics),), **fakes)
    return lambda_handler(app, logger, metrics, Tracer(disabled=True)), app


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]


@pytest.mark.parametrize(
    "event_file", sorted(EVENTS.glob("*-api/*.json")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_sample_events_are_served(event_file: Path) -> None:
    handler, _ = build()
    result = handler(json.loads(event_file.read_text()), LocalContext())
    assert result["statusCode"] == EXPECTED_STATUS[event_file.stem]
    request_id = json.loads(event_file.read_text())["requestContext"]["requestId"]
    assert result["headers"]["x-request-id"] == request_id


def test_timing_line_carries_lambda_context_and_gateway_request_id() -> None:
    stream = io.StringIO()
    handler, _ = build(stream)
    event = json.loads((EVENTS / "http-api" / "movie.json").read_text())
    event["headers"]["x-request-id"] = "client-chosen"
    context = LocalContext(function_name="movie-api-fn", function_version="7")
    result = handler(event, context)
    (line,) = [entry for entry in lines(stream) if entry.get("message") == "request"]
    assert result["headers"]["x-request-id"] == "v2-movie-example"
    assert line["request_id"] == line["correlation_id"] == "v2-movie-example"
    assert (line["function_name"], line["function_version"]) == ("movie-api-fn", "7")
    assert line["route"] == "/movies/{movie_id}"
    assert isinstance(line["cold_start"], bool)


def test_latency_and_cold_start_metrics_are_flushed_every_invocation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler, _ = build()
    event = json.loads((EVENTS / "http-api" / "movie-not-found.json").read_text())
    for _ in range(2):
        handler(event, LocalContext())
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    latency = [blob for blob in blobs if "Latency" in blob]
    assert len(latency) == 2  # one EMF blob per invocation, not batched
    assert (latency[0]["route"], latency[0]["status_class"]) == ("/movies/{movie_id}", "4xx")
    directive = latency[0]["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "MovieApiTest"
    assert directive["Dimensions"] == [["route", "status_class", "service"]]
    assert sum("ColdStart" in blob for blob in blobs) <= 1  # only ever on the first invocation


@pytest.mark.parametrize(
    "event",
    [
        {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}},
        {"warmup": True},
        {"Records": [{"eventSource": "aws:sqs"}]},
    ],
)
def test_non_http_events_get_a_clear_answer(event: dict[str, Any]) -> None:
    stream = io.StringIO()
    handler, _ = build(stream)
    assert handler(event, LocalContext()) == {
        "ignored": True,
        "reason": "not an API Gateway HTTP request",
    }
    assert any(entry["level"] == "WARNING" for entry in lines(stream))


async def test_docs_under_a_stage_prefix_load_the_spec_from_the_prefixed_url() -> None:
    handler, _ = build()
    transport = LambdaTransport(handler, "v1", "Prod")
    async with httpx.AsyncClient(transport=transport, base_url="https://gw.test/Prod") as client:
        docs = await client.get("/docs")
        spec = await client.get("/openapi.json")
    assert docs.status_code == 200
    assert "'/Prod/openapi.json'" in docs.text or '"/Prod/openapi.json"' in docs.text
    assert spec.json()["info"]["title"] == "Movie API"


@pytest.mark.parametrize(("flavour", "stage"), [("v2", "$default"), ("v2", "dev"), ("v1", "Prod")])
async def test_query_headers_cookies_and_binary_bodies_cross_the_gateway(
    flavour: str, stage: str
) -> None:
    handler, app = build()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        return {
            "tags": request.query_params.getlist("tag"),
            "cookies": dict(request.cookies),
            "header": request.headers.get("x-custom"),
            "body": (await request.body()).hex(),
            "path": request.url.path,
        }

    prefix = "" if stage == "$default" else f"/{stage}"
    transport = LambdaTransport(handler, flavour, stage)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport, base_url=f"https://gw.test{prefix}"
    ) as client:
        response = await client.post(
            "/echo?tag=a&tag=b",
            headers={
                "x-custom": "yes",
                "cookie": "session=s1; theme=dark",
                "content-type": "application/json",  # the API refuses other types (415)
            },
            content=bytes([0, 255, 16]),
        )
    assert response.status_code == 200
    assert response.json() == {
        "tags": ["a", "b"],
        "cookies": {"session": "s1", "theme": "dark"},
        "header": "yes",
        "body": "00ff10",
        "path": f"{prefix}/echo",
    }
    sent = transport.events[0]
    assert sent["isBase64Encoded"] is True


def test_warm_invocations_reuse_one_upstream_connection() -> None:
    catalog_port = free_port()
    with (
        LocalStack([catalog_service(catalog_port, 0)]),
        CountingProxy(catalog_port).running() as proxy,
    ):
        settings = Settings(catalog_url=f"http://{HOST}:{proxy.port}")
        handler, _ = build(settings=settings, fetcher=build_fetcher(settings))
        event = json.loads((EVENTS / "http-api" / "movie.json").read_text())
        results = [handler(event, LocalContext()) for _ in range(2)]
        assert [r["statusCode"] for r in results] == [200, 200]
        assert proxy.accepted == 1


def test_the_deployed_module_wires_the_real_handler() -> None:
    import handlers.api

    event = json.loads((EVENTS / "rest-api" / "health.json").read_text())
    result = handlers.api.handler(event, LocalContext())
    assert (result["statusCode"], json.loads(result["body"])) == (200, {"status": "ok"})
    assert handlers.api.handler({"warmup": True}, LocalContext())["ignored"] is True

"""The app trusts only claims a gateway verified: without them a personal route fails closed."""

import io
import json

import httpx
from aws_lambda_powertools import Logger, Metrics, Tracer

from handlers.mangum_handler import lambda_handler
from infra.local.lambda_runtime import EVENTS, local_context
from tests.support.apps import app_with_fakes
from tests.support.fakes import InMemoryTaskQueue
from tests.support.lambda_transport import LambdaTransport
from tests.support.logs import fresh_logger
from tests.support.tokens import bearer


async def test_without_a_gateway_a_valid_looking_token_is_still_401() -> None:
    queue = InMemoryTaskQueue()
    app = app_with_fakes(queue=queue)  # deployed by mistake without an authorizer
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.test"
    ) as api:
        response = await api.post(
            "/me/ratings", json={"movie_id": 3, "stars": 4}, headers=bearer("ana")
        )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["error"], body["request_id"]) == ("unauthorized", response.headers["x-request-id"])
    assert queue.sent == []


def test_the_lambda_handler_reads_the_subject_api_gateway_verified() -> None:
    queue = InMemoryTaskQueue()
    handler = lambda_handler(
        app_with_fakes(queue=queue), Logger(service="id-test"), Metrics(), Tracer(disabled=True)
    )
    event = json.loads((EVENTS / "http-api" / "rate-movie.json").read_text())
    event["requestContext"]["authorizer"] = {"jwt": {"claims": {"sub": "carol"}, "scopes": None}}
    assert handler(event, local_context())["statusCode"] == 202
    ((message, _),) = queue.sent
    assert message.user_id == "carol"
    del event["requestContext"]["authorizer"]
    result = handler(event, local_context())
    assert result["statusCode"] == 401  # no authorizer on the route: fail closed
    assert len(queue.sent) == 1


async def test_the_request_log_never_holds_the_token() -> None:
    stream = io.StringIO()
    logger = fresh_logger("token-log", stream)
    handler = lambda_handler(
        app_with_fakes(logger=logger), logger, Metrics(), Tracer(disabled=True)
    )
    token = bearer("ana")["authorization"]
    async with httpx.AsyncClient(
        transport=LambdaTransport(handler, "v2"), base_url="https://gw.test"
    ) as api:
        await api.get("/me/ratings", headers={"authorization": token})
        await api.get("/movies", headers={"authorization": token})
    logged = stream.getvalue()
    assert '"path":"/movies"' in logged.replace(" ", "")  # the log was written
    assert token.split()[1] not in logged
    assert "authorization" not in logged.lower()

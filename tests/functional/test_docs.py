"""/docs and /redoc need no network: every URL their pages load is the API's own, under the stage
or mapping key the request came through, and each one serves the real file.

Runs every way the `api` fixture drives the app (in-process, and through the Lambda handler under
a REST /Prod stage and a custom domain's /v1 key), and through an HTTP API's named stage as the
template deploys it (/dev).
"""

import io
from functools import partial

import httpx
from aws_lambda_powertools import Metrics, Tracer

from handlers.mangum_handler import lambda_handler
from infra.gateway.edge import authorize_event
from tests.support import apps
from tests.support.apps import app_with_fakes
from tests.support.docs_pages import check_docs
from tests.support.lambda_transport import LambdaTransport
from tests.support.logs import fresh_logger
from tests.support.tokens import AUTHORIZER


async def test_the_docs_load_only_the_apis_own_files(api: httpx.AsyncClient) -> None:
    await check_docs(api)


async def test_the_docs_under_an_http_api_named_stage() -> None:
    # As deployed: the template's HTTP API stage (Stage, dev by default) is the URL's first
    # segment, and stays in the path the function gets.
    app = app_with_fakes()
    logger = fresh_logger("docs", io.StringIO())
    handler = lambda_handler(app, logger, Metrics(), Tracer(disabled=True))
    gateway = partial(authorize_event, apps.ROUTES, AUTHORIZER)
    transport = LambdaTransport(handler, "v2", "dev", gateway)
    async with httpx.AsyncClient(transport=transport, base_url="https://gw.test/dev") as client:
        await check_docs(client)


async def test_an_unknown_docs_file_is_a_json_404(api: httpx.AsyncClient) -> None:
    for path in ("/docs/assets/LICENSE", "/docs/assets/swagger-ui.js"):
        response = await api.get(path)
        assert (response.status_code, response.json()["error"]) == (404, "not_found")

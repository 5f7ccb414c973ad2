"""What a person's tools ask of the API over real HTTP, on both local stacks (uvicorn behind the
gateway, `make run`; the Lambda stand-in, `make run-lambda`) or BASE_URL: HEAD wherever GET, and
docs that load and render with no network but the API's own host."""

import re

import httpx
import pytest

from tests.support.browser import CHROMIUM, rendered_dom
from tests.support.docs_pages import check_docs
from tests.support.stacks import Stack


async def test_head_answers_like_get_with_no_body(stack: Stack, api: httpx.AsyncClient) -> None:
    for path, headers in [
        ("/health", {}),
        ("/movies/1", {}),
        ("/openapi.json", {}),
        ("/me/ratings", stack.auth("alice")),
    ]:
        # GET first: the first catalog call of a fresh Lambda environment imports its client.
        get, head = await api.get(path, headers=headers), await api.head(path, headers=headers)
        assert (head.status_code, get.status_code) == (200, 200), path
        assert head.headers["content-length"] == get.headers["content-length"], path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.content == b"", path
    refused = await api.head("/me/ratings")
    assert (refused.status_code, refused.content) == (401, b"")
    # A method no route declares is still the gateway's 404, as on AWS.
    assert (await api.delete("/health")).status_code == 404


async def test_the_docs_files_pass_the_gateway_and_are_served(api: httpx.AsyncClient) -> None:
    await check_docs(api)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to render with: apt-get install chromium")
def test_the_docs_render_every_operation_in_a_browser_offline(stack: Stack) -> None:
    spec = httpx.get(f"{stack.api_url}/openapi.json", timeout=10).json()
    swagger = rendered_dom(f"{stack.api_url}/docs")
    # Swagger UI draws one block per operation, its path in data-path.
    assert set(re.findall(r'data-path="([^"]+)"', swagger)) == set(spec["paths"])
    redoc = rendered_dom(f"{stack.api_url}/redoc")
    operations = {op["operationId"] for ops in spec["paths"].values() for op in ops.values()}
    assert set(re.findall(r"operation/([A-Za-z0-9_]+)", redoc)) == operations

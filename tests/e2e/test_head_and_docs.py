"""What a person's tools ask of the API over real HTTP, on both local stacks (uvicorn behind the
gateway, `make run`; the Lambda stand-in, `make run-lambda`) or BASE_URL: HEAD wherever GET."""

import httpx

from tests.support.stacks import Stack


async def test_head_answers_like_get_with_no_body(stack: Stack, api: httpx.AsyncClient) -> None:
    for path, headers in [
        ("/health", {}),
        ("/movies/1", {}),
        ("/openapi.json", {}),
        ("/me/ratings", stack.auth("alice")),
    ]:
        head, get = await api.head(path, headers=headers), await api.get(path, headers=headers)
        assert (head.status_code, get.status_code) == (200, 200), path
        assert head.headers["content-length"] == get.headers["content-length"], path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.content == b"", path
    refused = await api.head("/me/ratings")
    assert (refused.status_code, refused.content) == (401, b"")
    # A method no route declares is still the gateway's 404, as on AWS.
    assert (await api.delete("/health")).status_code == 404

"""The public-cache pass at the ASGI level: what it holds, what it lets by, and what a 304 keeps."""

import gzip
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from movies.api.middleware.compression import MINIMUM_SIZE
from movies.api.middleware.conditional import entity_tag
from movies.api.middleware.public_cache import PUBLIC_SCOPE_KEY, PublicCache

CACHE_CONTROL = b"public, max-age=1, stale-while-revalidate=2"
JSON_HEADERS = [(b"content-type", b"application/json"), (b"x-route", b"kept")]


def answering(status: int, *chunks: bytes) -> Any:
    """An app that answers `status` with `chunks` as its body, one message each."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        length = str(sum(map(len, chunks))).encode()
        headers = [*JSON_HEADERS, (b"content-length", length)]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for i, chunk in enumerate(chunks):
            more = i < len(chunks) - 1
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

    return app


async def run(app: Any, *, public: bool = True, **headers: bytes) -> list[Message]:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "headers": [(k.replace("_", "-").encode(), v) for k, v in headers.items()],
    }
    if public:
        scope[PUBLIC_SCOPE_KEY] = True
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    await PublicCache(app, CACHE_CONTROL)(scope, receive, send)
    return sent


def header_names(message: Message) -> list[bytes]:
    return [name for name, _ in message["headers"]]


async def test_a_304_keeps_only_what_rfc_9110_lists() -> None:
    body = b'{"id": 1}'
    [start, end] = await run(answering(200, body), if_none_match=entity_tag(body))
    assert start["status"] == 304
    assert dict(start["headers"]) == {
        b"etag": entity_tag(body),
        b"cache-control": CACHE_CONTROL,
        b"vary": b"accept-encoding",
    }
    assert end == {"type": "http.response.body", "body": b""}


async def test_a_streamed_body_is_tagged_whole_and_its_length_restated() -> None:
    [start, end] = await run(answering(200, b'{"a": ', b"1}"))
    headers = dict(start["headers"])
    assert headers[b"etag"] == entity_tag(b'{"a": 1}')
    assert headers[b"content-length"] == b"8"
    assert headers[b"x-route"] == b"kept"
    assert header_names(start).count(b"content-length") == 1
    assert end["body"] == b'{"a": 1}'


@pytest.mark.parametrize(("public", "status"), [(False, 200), (True, 404), (True, 201)])
async def test_other_answers_pass_untouched(public: bool, status: int) -> None:
    sent = await run(answering(status, b"x", b"y"), public=public, if_none_match=b"*")
    assert [m.get("status") for m in sent] == [status, None, None]
    assert b"etag" not in header_names(sent[0])
    assert [m.get("body") for m in sent[1:]] == [b"x", b"y"]


@pytest.mark.parametrize(("size", "coding"), [(MINIMUM_SIZE - 1, None), (MINIMUM_SIZE, b"gzip")])
async def test_the_tag_names_the_encoding_the_body_goes_out_in(
    size: int, coding: bytes | None
) -> None:
    body = b"[" + b"1" * (size - 2) + b"]"
    [start, end] = await run(answering(200, body), accept_encoding=b"gzip, br")
    headers = dict(start["headers"])
    assert headers[b"etag"] == entity_tag(body, coding)
    assert headers.get(b"content-encoding") == coding
    assert headers[b"content-length"] == str(len(end["body"])).encode()
    decoded = gzip.decompress(end["body"]) if coding else end["body"]
    assert decoded == body

"""Public answers as shared caches need them: Cache-Control, a strong ETag, Vary, and 304s.

A route opts in (movies.api.public marks its request); its 200 is held whole, tagged, and sent,
or answered 304 when If-None-Match names it. Any other answer passes through untouched. The
representation is chosen here, gzip included: a strong tag names one representation, so the
layer that tags the answer must be the one that encodes it. gzipped() then passes it on as it
is (it leaves a body that has a Content-Encoding alone).
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from movies.api.middleware.compression import gzip_body, gzips
from movies.api.middleware.conditional import entity_tag, if_none_match, none_match_fails

# The ASGI scope key a public route sets (movies.api.public).
PUBLIC_SCOPE_KEY = "movies.public"
VARY = (b"vary", b"accept-encoding")
# What a 304 keeps of the 200 it stands for (RFC 9110 15.4.5); no Content-Type, no length.
_KEPT_ON_304 = frozenset({b"cache-control", b"content-location", b"date", b"etag", b"vary"})
_REPLACED = frozenset({b"content-length", b"etag", b"cache-control", b"vary"})


def public_cache_control(max_age_s: int, stale_while_revalidate_s: int) -> bytes:
    """The Cache-Control value of every public answer."""
    return (
        f"public, max-age={max_age_s}, stale-while-revalidate={stale_while_revalidate_s}".encode()
    )


class PublicCache:
    """One GET request's pass: a public route's 200 tagged and sent, or made a 304."""

    __slots__ = ("app", "body", "cache_control", "scope", "send", "start")

    def __init__(self, app: ASGIApp, cache_control: bytes) -> None:
        self.app = app
        self.cache_control = cache_control
        self.start: Message | None = None
        self.body: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, holding a public 200 until its last byte."""
        self.scope, self.send = scope, send
        await self.app(scope, receive, self._send)

    async def _send(self, message: Message) -> None:
        if self.start is None:
            if (
                message["type"] == "http.response.start"
                and message["status"] == 200
                and self.scope.get(PUBLIC_SCOPE_KEY)
            ):
                self.start = message
                return
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._answer(b"".join(self.body))
            return
        await self.send(message)

    async def _answer(self, body: bytes) -> None:
        assert self.start is not None
        coding = b"gzip" if gzips(self.scope, len(body)) else None
        tag = entity_tag(body, coding)
        headers = [
            *((k, v) for k, v in self.start.get("headers", ()) if k not in _REPLACED),
            (b"etag", tag),
            (b"cache-control", self.cache_control),
            VARY,
        ]
        field = if_none_match(self.scope)
        if field is not None and none_match_fails(field, tag):
            kept = [(k, v) for k, v in headers if k in _KEPT_ON_304]
            await self.send({"type": "http.response.start", "status": 304, "headers": kept})
            await self.send({"type": "http.response.body", "body": b""})
            return
        if coding:
            body = gzip_body(body)
            headers.append((b"content-encoding", coding))
        headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})

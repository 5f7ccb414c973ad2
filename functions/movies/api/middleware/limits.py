"""What a request may send: refused with the JSON error shape before any route runs.

- query string over MAX_QUERY_BYTES: 414;
- body over MAX_BODY_BYTES, by Content-Length or as it streams in: 413;
- a body sent with a content type other than application/json: 415.
"""

from starlette.exceptions import HTTPException
from starlette.types import Message, Receive, Scope

MAX_BODY_BYTES = 1024 * 1024
MAX_QUERY_BYTES = 4096
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

ErrorAnswer = tuple[int, str, str]  # status, error, detail: answered instead of the route


_TOO_LARGE_DETAIL = f"the body is over {MAX_BODY_BYTES} bytes"
TOO_LARGE: ErrorAnswer = (413, "payload_too_large", _TOO_LARGE_DETAIL)


class BodyTooLarge(HTTPException):
    """Raised from receive; an HTTPException, because FastAPI turns others met while reading
    a body into a 400, and answers this one with its status through the error handlers."""

    def __init__(self) -> None:
        super().__init__(413, detail=_TOO_LARGE_DETAIL)


def refusal(scope: Scope) -> ErrorAnswer | None:
    """The refusal for this request, judged before reading it, if any."""
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return 414, "uri_too_long", f"the query string is over {MAX_QUERY_BYTES} bytes"
    if scope["method"] not in BODY_METHODS:
        return None
    content_type, has_body = b"", False
    for name, value in scope["headers"]:
        if name == b"content-length":
            if value.isdigit() and int(value) > MAX_BODY_BYTES:
                return TOO_LARGE
            has_body = has_body or value not in (b"0", b"")
        elif name == b"transfer-encoding":
            has_body = True
        elif name == b"content-type":
            content_type = value.split(b";", 1)[0].strip().lower()
    if has_body and content_type != b"application/json":
        return 415, "unsupported_media_type", "send the body as application/json"
    return None


def limited(receive: Receive) -> Receive:
    """`receive` that raises BodyTooLarge once more than MAX_BODY_BYTES have streamed in."""
    received = 0

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > MAX_BODY_BYTES:
            raise BodyTooLarge
        return message

    return limited_receive

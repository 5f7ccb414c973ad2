"""The request body an API Gateway event carries, decoded once the way Mangum decodes it."""

import base64
import binascii
from collections.abc import Mapping
from typing import Any


class UndecodableBody(ValueError):
    """The event flags its body as base64, but it is not base64."""


def event_body(event: Mapping[str, Any]) -> bytes:
    """The body the app will receive: base64-decoded when the event says so, else UTF-8."""
    body = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        return body.encode() if isinstance(body, str) else bytes(body)
    try:
        # Mangum's own call (maybe_encode_body): what fails here would fail inside Mangum.
        return base64.b64decode(body)
    except (binascii.Error, ValueError) as exc:
        raise UndecodableBody(str(exc)) from exc


def with_content_length(headers: list[Any], size: int) -> list[Any]:
    """`headers` (ASGI pairs) with one content-length, the body's real size.

    API Gateway's REST API does not forward Content-Length and Mangum does not add it, so the
    size limits would never see one; a header the client sent cannot be trusted over the body.
    """
    kept = [pair for pair in headers if bytes(pair[0]).lower() != b"content-length"]
    return [*kept, (b"content-length", str(size).encode())]

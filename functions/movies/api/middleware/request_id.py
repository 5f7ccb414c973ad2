"""Each request's id: API Gateway's on Lambda, else a safe client X-Request-Id, else a new one."""

import os
import re

from starlette.types import Scope

REQUEST_ID_HEADER = b"x-request-id"
# A client-supplied id is echoed into logs and headers, so only a short safe token is accepted.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_from(scope: Scope) -> str:
    """Pick the request id: API Gateway's on Lambda, else a safe client X-Request-Id, else new."""
    event = scope.get("aws.event")
    if event:
        gateway_id = event.get("requestContext", {}).get("requestId")
        if isinstance(gateway_id, str) and _SAFE_REQUEST_ID.fullmatch(gateway_id):
            return gateway_id
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            candidate: str = value.decode("latin-1")
            if _SAFE_REQUEST_ID.fullmatch(candidate):
                return candidate
            break
    return os.urandom(16).hex()  # 32 hex digits, like uuid4().hex at a quarter of its cost

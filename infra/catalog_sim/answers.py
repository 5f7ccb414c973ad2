"""What the simulator sends for each fault: the failed, lying, oversized or redirected answers."""

import re
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from infra.catalog_sim.faults import DroppedResponse, Fault, SimConfig, SlowBodyResponse

JSON = "application/json"
INVALID_JSON_BODY = b'{"items": [{"id": 1, "title": "trunc'
WRONG_SHAPE_BODY = b'{"unexpected":true}'
LYING_TOTAL = b'"total":1000000000'
_TOTAL = re.compile(rb'"total":\d+')
_CHUNK = 64 * 1024


def before_the_answer(fault: Fault | None, config: SimConfig, request: Request) -> Response | None:
    """The response a fault sends instead of the real answer, if it replaces it."""
    if fault is Fault.ERROR:
        body = b'{"error":"injected_error","detail":"simulated upstream failure"}'
        return Response(body, config.error_status, media_type=JSON)
    if fault is Fault.INVALID_JSON:
        return Response(INVALID_JSON_BODY, 200, media_type=JSON)
    if fault is Fault.WRONG_SHAPE:
        return Response(WRONG_SHAPE_BODY, 200, media_type=JSON)
    if fault is Fault.REDIRECT:
        return Response(status_code=302, headers={"location": str(request.url)})
    if fault is Fault.HUGE_BODY:
        return StreamingResponse(_huge(config.huge_body_bytes), 200, media_type=JSON)
    return None


def with_the_answer(fault: Fault | None, config: SimConfig, status: int, body: bytes) -> Response:
    """The real answer, as a fault that alters or slows it sends it."""
    if fault is Fault.LYING_TOTAL:
        body = _TOTAL.sub(LYING_TOTAL, body, count=1)
    if fault is Fault.SLOW_BODY:
        return SlowBodyResponse(body, status, config.slow_body_ms / 1000, JSON)
    if fault is Fault.DROP:
        return DroppedResponse(body, status, media_type=JSON)
    return Response(body, status, media_type=JSON)


async def _huge(size: int) -> AsyncIterator[bytes]:
    """A JSON object of at least `size` bytes, streamed in chunks without a Content-Length."""
    yield b'{"items":[],"total":0,"limit":0,"offset":0,"pad":"'
    for _ in range(-(-size // _CHUNK)):
        yield b"x" * _CHUNK
    yield b'"}'

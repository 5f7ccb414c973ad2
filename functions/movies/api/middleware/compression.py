"""gzip for answers over 1 KiB, only when the request accepts it.

HTTP APIs do not compress, so the app does, under uvicorn and through the Lambda handler alike
(Mangum then base64-flags the body). A request that does not accept gzip goes straight to the
app: the hot path (and `ab`, which sends no Accept-Encoding) pays one header scan. Public
answers are encoded by public_cache, which tags each representation, with gzips() and
gzip_body(); gzipped() passes a body that already has a Content-Encoding on as it is.
"""

import zlib

from starlette.middleware.gzip import GZipResponder
from starlette.types import ASGIApp, Scope

MINIMUM_SIZE = 1024
# zlib's default: within a few percent of level 9's size on JSON, at a fraction of its CPU.
COMPRESS_LEVEL = 6


def accepts_gzip(scope: Scope) -> bool:
    """Whether the request says Accept-Encoding: gzip."""
    return any(
        name == b"accept-encoding" and b"gzip" in value.lower() for name, value in scope["headers"]
    )


def gzips(scope: Scope, size: int) -> bool:
    """Whether an answer of `size` bytes to this request goes out gzipped, as gzipped() decides."""
    return size >= MINIMUM_SIZE and accepts_gzip(scope)


def gzip_body(body: bytes) -> bytes:
    """`body` as one gzip member, at the level gzipped() uses."""
    return zlib.compress(body, COMPRESS_LEVEL, wbits=16 + zlib.MAX_WBITS)


def gzipped(app: ASGIApp) -> ASGIApp:
    """`app` with what it answers over MINIMUM_SIZE bytes gzipped (one request's worth)."""
    return GZipResponder(app, MINIMUM_SIZE, compresslevel=COMPRESS_LEVEL)

"""The bound on a catalog answer's size, applied as the bytes arrive, whatever the transport."""

from movies.catalog.errors import CatalogBadResponse

# The fallback when a fetcher is built without settings (tests); Settings has the real one.
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024


class BodyLimit:
    """Collects one body's chunks; raises CatalogBadResponse once it passes `limit` bytes.

    A declared Content-Length over the limit is refused before a byte is read; without one
    (chunked), the read stops at the first chunk past the limit, so memory stays bounded.
    """

    def __init__(self, limit: int, declared: str | int | None = None) -> None:
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0
        if isinstance(declared, str):  # a header: a malformed one is no promise at all
            declared = int(declared) if declared.isdigit() else None
        if declared is not None and declared > limit:
            raise self._error()

    def add(self, chunk: bytes) -> None:
        """Take the next chunk of the body."""
        self._size += len(chunk)
        if self._size > self._limit:
            raise self._error()
        self._chunks.append(chunk)

    def body(self) -> bytes:
        """The whole body, once every chunk was added."""
        return b"".join(self._chunks)

    def _error(self) -> CatalogBadResponse:
        return CatalogBadResponse(f"catalog answered a body over {self._limit} bytes")

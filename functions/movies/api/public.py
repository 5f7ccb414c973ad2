"""What a public route declares: the mark the edge caches its answer by, If-None-Match, its 304."""

from typing import Annotated, Any

from fastapi import Depends, Header, Request

from movies.api.middleware.public_cache import PUBLIC_SCOPE_KEY
from movies.api.schemas import error_responses

IfNoneMatch = Annotated[
    str | None,
    Header(
        description="ETag values of answers you hold (or `*`): if one is this answer's, 304",
    ),
]

_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "Strong tag of this representation (a gzip one has its own, `-gzip`)",
        "schema": {"type": "string"},
        "required": True,
    },
    "Cache-Control": {
        "description": "`public, max-age=<PUBLIC_MAX_AGE_S>, "
        "stale-while-revalidate=<PUBLIC_STALE_WHILE_REVALIDATE_S>`",
        "schema": {"type": "string"},
        "required": True,
    },
    "Vary": {
        "description": "`Accept-Encoding`",
        "schema": {"type": "string"},
        "required": True,
    },
}


async def _public(request: Request, if_none_match: IfNoneMatch = None) -> None:
    """Mark the answer public; the edge (movies.api.middleware.public_cache) evaluates the
    If-None-Match declared here, as it also must for the gzip representation it chooses."""
    request.scope[PUBLIC_SCOPE_KEY] = True


PUBLIC = Depends(_public)


def public_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """error_responses(*codes), plus the caching headers of the 200 and the 304 itself."""
    return {
        200: {"headers": _HEADERS},
        304: {"description": "Not modified: the ETag you sent is current", "headers": _HEADERS},
        **error_responses(*codes),
    }

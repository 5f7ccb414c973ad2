"""How catalog answers become movies or API errors, for both clients; httpx failures too."""

from typing import TypeVar

import httpx
import pydantic

from movies.errors import (
    ApiError,
    BadUpstreamResponse,
    NotFound,
    UpstreamBusy,
    UpstreamError,
    UpstreamTimeout,
)

Model = TypeVar("Model", bound=pydantic.BaseModel)


def movie_query(genre: str | None, limit: int, offset: int) -> dict[str, str | int]:
    """Build the catalog's /movies query."""
    query: dict[str, str | int] = {"limit": limit, "offset": offset}
    if genre:
        query["genre"] = genre
    return query


def parse_catalog_response(
    status_code: int, content: bytes, model: type[Model], *, lookup: bool = False
) -> Model:
    """Validate a catalog answer into `model`, or raise the API error it maps to.

    A 404 means "no such movie" only for a lookup by id; anywhere else it means the catalog
    is misconfigured, which is the gateway's fault, not the client's.
    """
    if status_code == 404 and lookup:
        raise NotFound("no such movie in the catalog")
    if status_code >= 500:
        raise UpstreamError(f"catalog answered {status_code}")
    if status_code != 200:
        raise BadUpstreamResponse(f"catalog answered unexpected status {status_code}")
    try:
        return model.model_validate_json(content)
    except pydantic.ValidationError as exc:
        raise BadUpstreamResponse("catalog answered a body that is not the expected JSON") from exc


def map_transport_error(exc: httpx.HTTPError) -> ApiError:
    """Map an httpx failure to the API error a client should see."""
    if isinstance(exc, httpx.PoolTimeout):
        return UpstreamBusy("no free catalog connection in time")
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamTimeout("catalog did not answer in time")
    if isinstance(exc, httpx.ConnectError):
        return UpstreamError("could not reach the catalog")
    return UpstreamError("catalog connection failed")

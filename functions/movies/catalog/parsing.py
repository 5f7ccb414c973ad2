"""How catalog answers become movies or catalog errors, for both clients."""

import pydantic

from movies.catalog.errors import CatalogBadResponse, CatalogUnavailable, MovieNotFound


def movie_query(genre: str | None, limit: int, offset: int) -> dict[str, str | int]:
    """Build the catalog's /movies query."""
    query: dict[str, str | int] = {"limit": limit, "offset": offset}
    if genre:
        query["genre"] = genre
    return query


def parse_catalog_response[Model: pydantic.BaseModel](
    status_code: int, content: bytes, model: type[Model], *, lookup: bool = False
) -> Model:
    """Validate a catalog answer into `model`, or raise the catalog error it means.

    A 404 means "no such movie" only for a lookup by id; anywhere else it means the catalog
    is misconfigured, which is the gateway's fault, not the client's.
    """
    if status_code == 404 and lookup:
        raise MovieNotFound("no such movie in the catalog")
    if status_code >= 500:
        raise CatalogUnavailable(f"catalog answered {status_code}")
    if status_code != 200:
        raise CatalogBadResponse(f"catalog answered unexpected status {status_code}")
    try:
        return model.model_validate_json(content)
    except pydantic.ValidationError as exc:
        raise CatalogBadResponse("catalog answered a body that is not the expected JSON") from exc

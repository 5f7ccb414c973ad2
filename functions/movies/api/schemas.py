"""Every request and response body the API declares, and the error responses routes document."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict

from movies.api.params import MovieIdField
from movies.domain.messages import Stars
from movies.domain.models import Recommendation


class Health(BaseModel):
    """Liveness answer."""

    status: Literal["ok"] = "ok"


class Index(BaseModel):
    """What `GET /` answers: where to go next (docs links are null when the docs are off)."""

    name: str = "Movie API"
    docs: str | None
    redoc: str | None
    openapi: str | None
    health: str


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str
    detail: Any
    request_id: str


class Recommendations(BaseModel):
    """A user's ranked recommendations."""

    user_id: str
    based_on_ratings: int
    items: list[Recommendation]


class TrendingMovie(BaseModel):
    """A movie and how many recommendation lists it appeared in."""

    movie_id: int
    impressions: int


class Trending(BaseModel):
    """The most recommended movies, most first."""

    items: list[TrendingMovie]


def _number_only(value: object) -> object:
    """JSON Schema's numbers only: pydantic's lax mode would read true as 1 and "3" as 3."""
    if isinstance(value, bool | str):
        raise ValueError("must be a JSON number")
    return value


NUMBER_ONLY = BeforeValidator(_number_only)


class RatingIn(BaseModel):
    """A user's rating of one movie."""

    model_config = ConfigDict(extra="forbid")

    movie_id: Annotated[MovieIdField, NUMBER_ONLY]
    stars: Annotated[Stars, NUMBER_ONLY]


class RatingAccepted(BaseModel):
    """A rating is queued; it shows up in GET ratings once the worker has stored it."""

    event_id: str
    status: str = "accepted"


class StoredRating(BaseModel):
    """A stored rating."""

    movie_id: int
    stars: float
    rated_at: datetime | None


class UserRatings(BaseModel):
    """One page of the caller's stored ratings."""

    user_id: str
    ratings: list[StoredRating]
    next_cursor: str | None = None


_DESCRIPTIONS = {
    401: "No valid bearer token",
    404: "Not found (for a rating: the catalog does not know the movie)",
    409: "A request with this Idempotency-Key is still being processed; Retry-After says when",
    413: "The body is over 1 MiB",
    414: "The query string is over 4 KiB",
    415: "The body is not application/json",
    422: "Invalid path, query, header or body",
    429: "Over the caller's limit for this route; Retry-After says when to try again",
    502: "The catalog failed or answered something that is not the expected JSON",
    503: "A dependency is unavailable (catalog pool, task queue or table); retry",
    504: "The catalog or the request deadline timed out",
}

UPSTREAM = (502, 503, 504)
# What EdgeMiddleware can answer on any route, and on any route that takes a body.
_ANY_ROUTE = (414, 504)
BODY = (413, 415)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Declare `codes`, plus the guard's statuses every route can return, with the error body."""
    return {
        code: {"model": ErrorBody, "description": _DESCRIPTIONS[code]}
        for code in sorted({*codes, *_ANY_ROUTE})
    }

"""Wire models: what the catalog sends and what the API answers."""

from typing import Any, Literal

from pydantic import BaseModel, Field


class Movie(BaseModel):
    """One catalog movie."""

    id: int
    title: str
    year: int
    genres: list[str]
    rating: float = Field(ge=0, le=10)


class MoviePage(BaseModel):
    """A page of catalog movies."""

    items: list[Movie]
    total: int = Field(ge=0)
    limit: int = Field(ge=0)
    offset: int = Field(ge=0)


class Recommendation(BaseModel):
    """A recommended movie and the score that ranked it."""

    movie: Movie
    score: float


class Recommendations(BaseModel):
    """A user's ranked recommendations."""

    user_id: str
    based_on_ratings: int
    items: list[Recommendation]


class Health(BaseModel):
    """Liveness answer."""

    status: Literal["ok"] = "ok"


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str
    detail: Any
    request_id: str

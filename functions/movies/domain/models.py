"""Domain models: catalog movies, a user's ratings and the recommendations scored from them."""

from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True, slots=True)
class Rating:
    """One user's stars (0.5-5) for one movie, its genres, and when they were given if known.

    The genres are the movie's when it was rated, kept with the rating, so that a user's taste
    needs no catalog call (empty for ratings stored before genres were kept).
    """

    movie_id: int
    stars: float
    rated_at: datetime | None = None
    genres: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RatingsPage:
    """Some of a user's ratings, in the store's order, and the movie id to resume after, if any."""

    items: list[Rating]
    next_after: int | None = None

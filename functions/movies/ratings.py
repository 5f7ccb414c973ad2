"""The ratings port and its in-memory adapter."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Rating:
    """One user's stars (0.5-5) for one movie."""

    movie_id: int
    stars: float


class RatingStore(Protocol):
    """Where a user's ratings are read from."""

    async def ratings_for(self, user_id: str) -> list[Rating]:
        """Return the user's ratings, oldest first; empty for an unknown user."""
        ...


class InMemoryRatingStore:
    """A process-local store: the latest rating per (user, movie) wins."""

    def __init__(self) -> None:
        self._by_user: dict[str, dict[int, float]] = {}

    async def ratings_for(self, user_id: str) -> list[Rating]:
        """Return the user's ratings."""
        stored = self._by_user.get(user_id, {})
        return [Rating(movie_id, stars) for movie_id, stars in stored.items()]

    async def put(self, user_id: str, rating: Rating) -> None:
        """Store or replace one rating."""
        self._by_user.setdefault(user_id, {})[rating.movie_id] = rating.stars

"""The ratings port and its in-memory adapter."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Rating:
    """One user's stars (0.5-5) for one movie, and when they were given if known."""

    movie_id: int
    stars: float
    rated_at: datetime | None = None


class RatingStore(Protocol):
    """Where the API reads what the worker stored: ratings and impression counters."""

    async def ratings_for(self, user_id: str) -> list[Rating]:
        """Return the user's ratings; empty for an unknown user."""
        ...

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        """Return (movie_id, impressions) of the most recommended movies, most first."""
        ...


class InMemoryRatingStore:
    """A test fake: the latest rating per (user, movie) wins."""

    def __init__(self) -> None:
        self._by_user: dict[str, dict[int, Rating]] = {}
        self.impressions: dict[int, int] = {}

    async def ratings_for(self, user_id: str) -> list[Rating]:
        """Return the user's ratings."""
        return list(self._by_user.get(user_id, {}).values())

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        """Return the most counted movies, most first, ties by id."""
        ranked = sorted(self.impressions.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]

    async def put(self, user_id: str, rating: Rating) -> None:
        """Store or replace one rating."""
        self._by_user.setdefault(user_id, {})[rating.movie_id] = rating

"""The ports: what the API needs from storage, the task queue, a shared cache and metrics.

Adapters live beside the technology they wrap (movies.aws for AWS, movies.observability for
in-process counters); test fakes live in tests/support and never ship.
"""

from dataclasses import dataclass
from typing import Protocol

from movies.domain.idempotency import Answer, Claimed, Conflict
from movies.domain.messages import Message
from movies.domain.models import RatingsPage


class RatingStore(Protocol):
    """Where the API reads what the worker stored: ratings and impression counters."""

    async def ratings_for(
        self, user_id: str, *, limit: int, after: int | None = None
    ) -> RatingsPage:
        """Return at most `limit` of the user's ratings, resuming after movie `after`.

        The order is the store's own and stable, so that pages never repeat or skip a rating.
        """
        ...

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        """Return (movie_id, impressions) of the most recommended movies, most first."""
        ...


class TaskQueue(Protocol):
    """Where work that need not delay the user is sent."""

    async def send(self, message: Message, *, correlation_id: str) -> None:
        """Enqueue `message`; raise QueueUnavailable if it was not accepted."""
        ...


class Counters(Protocol):
    """Counts named events worth alerting on; on Lambda they become EMF metrics."""

    def increment(self, name: str) -> None:
        """Count one occurrence of `name`."""
        ...


class RateLimiter(Protocol):
    """Counts each caller's requests where every environment sees the same count."""

    async def acquire(self, caller: str, action: str) -> int:
        """Count one `action` of `caller`: 0 if within its limit, else the seconds until it may
        try again (and nothing counted). Raise LimiterUnavailable if the count cannot be kept."""
        ...


@dataclass(frozen=True, slots=True)
class SharedEntry:
    """A value a shared cache holds, and when it stops being fresh (seconds since the epoch)."""

    value: bytes
    expires_at: float


class SharedCache(Protocol):
    """Values every environment of the API reads and writes, each until its expiry."""

    @property
    def max_value_bytes(self) -> int:
        """The largest value the store takes; a caller stores nothing larger."""
        ...

    async def get(self, key: str) -> SharedEntry | None:
        """The entry under `key` if it has not expired, else None. Raise CacheUnavailable if the
        store cannot be read."""
        ...

    async def put(self, key: str, value: bytes, expires_at: float) -> None:
        """Store `value` under `key` until `expires_at`, replacing any entry. Raise
        CacheUnavailable if the store cannot be written."""
        ...


class IdempotencyStore(Protocol):
    """Where each caller's idempotency keys are kept, so that every environment sees them."""

    async def claim(self, caller: str, key: str, fingerprint: str) -> Claimed | Answer | Conflict:
        """Take `caller`'s `key` for a request with `fingerprint`, unless a live record of it
        says otherwise (movies.domain.idempotency.judge): then its answer, or the conflict.
        Raise StoreUnavailable if the key cannot be checked."""
        ...

    async def complete(self, caller: str, key: str, claim: Claimed, answer: Answer) -> bool:
        """Keep `answer` for the key's lifetime; False if the claim was no longer ours. Raise
        StoreUnavailable if it cannot be kept."""
        ...

    async def release(self, caller: str, key: str, claim: Claimed) -> None:
        """Give the key up unanswered, if the claim is still ours, so a retry can take it."""
        ...

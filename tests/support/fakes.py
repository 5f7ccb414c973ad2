"""In-memory stand-ins for the ports (movies.domain.ports), for tests only: they never ship."""

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace

from movies.domain.idempotency import Answer, Claimed, Conflict, KeyRecord, judge
from movies.domain.limits import Limit
from movies.domain.messages import Message, encode
from movies.domain.models import Rating, RatingsPage
from movies.errors import LimiterUnavailable, QueueUnavailable


class InMemoryRatingStore:
    """A RatingStore where the latest rating per (user, movie) wins."""

    def __init__(self) -> None:
        self._by_user: dict[str, dict[int, Rating]] = {}
        self.impressions: dict[int, int] = {}

    async def ratings_for(
        self, user_id: str, *, limit: int, after: int | None = None
    ) -> RatingsPage:
        """Return a page of the user's ratings in DynamoDB's order: movie ids compared as text."""
        ordered = sorted(self._by_user.get(user_id, {}).values(), key=lambda r: str(r.movie_id))
        if after is not None:
            ordered = [r for r in ordered if str(r.movie_id) > str(after)]
        more = len(ordered) > limit
        return RatingsPage(ordered[:limit], ordered[limit - 1].movie_id if more else None)

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        """Return the most counted movies, most first, ties by id."""
        ranked = sorted(self.impressions.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]

    async def put(self, user_id: str, rating: Rating) -> None:
        """Store or replace one rating."""
        self._by_user.setdefault(user_id, {})[rating.movie_id] = rating


class InMemoryTaskQueue:
    """A TaskQueue that keeps what was sent; set `fail` to make every send fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[Message, str]] = []
        self.fail = False

    async def send(self, message: Message, *, correlation_id: str) -> None:
        """Record the message, or raise QueueUnavailable when `fail` is set."""
        if self.fail:
            raise QueueUnavailable("injected queue failure")
        encode(message)  # the size check the SQS adapter makes
        self.sent.append((message, correlation_id))


class InMemoryRateLimiter:
    """A RateLimiter in one process (as a test needs), with the same windows as the table's;
    set `fail` to make the count unavailable."""

    def __init__(self, limits: Mapping[str, Limit], clock: Callable[[], float] = time.time) -> None:
        self.limits = dict(limits)
        self.clock = clock
        self.hits: dict[tuple[str, str, int], int] = {}
        self.fail = False

    async def acquire(self, caller: str, action: str) -> int:
        """Count one request; 0 if within the limit, else the seconds until the window ends."""
        if self.fail:
            raise LimiterUnavailable("injected limiter failure")
        limit, now = self.limits[action], self.clock()
        key = (caller, action, limit.window(now))
        if self.hits.get(key, 0) >= limit.requests:
            return limit.retry_after_s(now)
        self.hits[key] = self.hits.get(key, 0) + 1
        return 0


class InMemoryIdempotencyStore:
    """An IdempotencyStore in one process, under the same rule as the table's (judge)."""

    def __init__(
        self, ttl_s: int = 86_400, lease_s: float = 20.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.ttl_s = ttl_s
        self.lease_s = lease_s
        self.clock = clock
        self.records: dict[tuple[str, str], KeyRecord] = {}

    async def claim(self, caller: str, key: str, fingerprint: str) -> Claimed | Answer | Conflict:
        """Take the key, or say what its live record answers."""
        now = self.clock()
        verdict = judge(self.records.get((caller, key)), fingerprint, now)
        if verdict is not None:
            return verdict
        claim = Claimed(uuid.uuid4().hex)
        self.records[caller, key] = KeyRecord(
            fingerprint, claim.token, now + self.lease_s, now + self.ttl_s
        )
        return claim

    async def complete(self, caller: str, key: str, claim: Claimed, answer: Answer) -> bool:
        """Keep the answer, if the claim is still ours."""
        record = self.records.get((caller, key))
        if record is None or record.token != claim.token:
            return False
        self.records[caller, key] = replace(
            record, answer=answer, expires_at=self.clock() + self.ttl_s
        )
        return True

    async def release(self, caller: str, key: str, claim: Claimed) -> None:
        """Forget the claim, if it is still ours."""
        record = self.records.get((caller, key))
        if record is not None and record.token == claim.token:
            del self.records[caller, key]

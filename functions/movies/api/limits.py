"""Which routes are limited per caller, and the dependency that enforces it before any work."""

from typing import Any

from fastapi import Depends

from movies.api.deps import AppCounters, AppLogger, Limiter
from movies.api.identity import CurrentUser
from movies.domain.limits import Limit
from movies.errors import LimiterUnavailable, RateLimited
from movies.settings import Settings

RATINGS = "ratings"
RECOMMENDATIONS = "recommendations"


def request_limits(settings: Settings) -> dict[str, Limit]:
    """Each limited action's limit, from settings (the template sets them per stage)."""
    return {
        RATINGS: Limit(settings.ratings_per_minute, 60),
        RECOMMENDATIONS: Limit(settings.recommendations_per_minute, 60),
    }


def limited(action: str) -> Any:
    """A route dependency: 429 with Retry-After once the caller is over `action`'s limit.

    Checked before the route does anything, so a refused request queues and stores nothing. If
    the counts cannot be kept (the table is unreachable), the request goes on: a limit that
    fails closed would turn a table outage into an outage of every limited route. It is logged
    and counted (RateLimiterUnavailable) instead.
    """

    async def check(
        user_id: CurrentUser, limiter: Limiter, logger: AppLogger, counters: AppCounters
    ) -> None:
        try:
            retry_after_s = await limiter.acquire(user_id, action)
        except LimiterUnavailable as exc:
            counters.increment("RateLimiterUnavailable")
            logger.warning("rate limit not checked", extra={"action": action, "detail": str(exc)})
            return
        if retry_after_s:
            raise RateLimited(f"too many {action} requests; retry later", retry_after_s)

    return Depends(check)

"""Which served movies count toward trending: once per user, movie and window, a few per call."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# The defaults Settings gives TRENDING_WINDOW_HOURS, TRENDING_COUNTED_PER_CALL and
# TRENDING_COUNTED_PER_WINDOW. Per call: the default page of recommendations is 10, and a
# transaction of 1 + 10 items costs 22 write units at most. Per window: room for a day of
# genuinely varied browsing, and the most one user can move trending in a day (100 counters by 1).
WINDOW_HOURS = 24
COUNTED_PER_CALL = 10
COUNTED_PER_WINDOW = 100


@dataclass(frozen=True, slots=True)
class TrendingRules:
    """How a served list becomes trending counts: pure arithmetic, no clock and no store."""

    window: timedelta = timedelta(hours=WINDOW_HOURS)
    per_call: int = COUNTED_PER_CALL
    per_window: int = COUNTED_PER_WINDOW

    def window_start(self, at: datetime) -> datetime:
        """The start of the window `at` falls in; windows are aligned on the Unix epoch, so a
        24-hour window is a UTC day."""
        span = int(self.window.total_seconds())
        seconds = int(at.timestamp())
        return datetime.fromtimestamp(seconds - seconds % span, UTC)

    def to_count(self, served: Sequence[int], counted: Collection[int]) -> list[int]:
        """The movies to count now: of the first `per_call` served (best first), those not yet
        counted for this user in this window, as many as the window still has room for."""
        top = list(dict.fromkeys(served))[: self.per_call]
        room = max(0, self.per_window - len(counted))
        return [movie_id for movie_id in top if movie_id not in counted][:room]


DEFAULT_RULES = TrendingRules()

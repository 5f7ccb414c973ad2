"""Per-caller request limits: fixed windows, as pure arithmetic (no clock, no store)."""

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `requests` per caller in each window of `window_s` seconds."""

    requests: int
    window_s: int = 60

    def window(self, now: float) -> int:
        """The number of the window `now` (seconds since the epoch) falls in."""
        return int(now // self.window_s)

    def retry_after_s(self, now: float) -> int:
        """Whole seconds until the window of `now` ends (at least 1), for Retry-After."""
        return max(1, math.ceil((self.window(now) + 1) * self.window_s - now))

"""A clock a test moves by hand, for code that takes its clock as a callable."""

from dataclasses import dataclass


@dataclass
class Clock:
    """Seconds since the epoch: call it for the time, set `now` to move it."""

    now: float

    def __call__(self) -> float:
        """The time it is."""
        return self.now

"""Counters for events worth alerting on (for example analytics that could not be sent)."""

from collections import Counter
from typing import Protocol


class Counters(Protocol):
    """Counts named events; on Lambda they become EMF metrics."""

    def increment(self, name: str) -> None:
        """Count one occurrence of `name`."""
        ...


class InProcessCounters:
    """Counts in memory, for uvicorn and the tests."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def increment(self, name: str) -> None:
        """Count one occurrence of `name`."""
        self.counts[name] += 1

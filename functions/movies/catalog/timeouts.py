"""The catalog's timeouts: one small typed value that each transport reads in its own terms."""

from dataclasses import dataclass

from movies.settings import Settings


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed to connect, to wait for each read, and to wait for a pooled connection."""

    connect_s: float
    read_s: float
    pool_s: float

    @classmethod
    def from_settings(cls, settings: Settings) -> "Timeouts":
        """The timeouts `settings` ask for."""
        return cls(
            connect_s=settings.catalog_connect_timeout_s,
            read_s=settings.catalog_read_timeout_s,
            pool_s=settings.catalog_pool_timeout_s,
        )

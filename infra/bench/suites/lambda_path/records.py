"""What the API handler's probe measures: peak RSS after import and after serving, warm calls."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class WarmCalls:
    """The handler called `calls` times in a loop on one path, as a warm runtime does."""

    path: str
    calls: int
    median_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int] = field(default_factory=dict)  # statusCode -> count


@dataclass(frozen=True)
class ApiProbe:
    """One child process: import handlers.api, serve `invocations`, then time warm calls."""

    import_s: float
    rss_after_import_mib: float
    rss_after_invocations_mib: float
    invocations: int
    warm: list[WarmCalls]

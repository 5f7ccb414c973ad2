"""The soak's report: counts, latencies, the ratings ledger, the failed criteria, and its text."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ratings:
    """The ledger: what was accepted against what the worker stored."""

    accepted: int
    stored: int
    duplicated: int  # a key stored twice, or stored with another event id than the 202 gave
    lost: int  # accepted (202) but not stored
    refused: int  # answered anything but 202
    refused_stored: int  # refused before anything was sent (injected fault, 4xx), yet stored
    ambiguous_stored: int  # a 503 after SQS timeouts, a 504, no answer: stored; reported


@dataclass(frozen=True)
class SoakReport:
    """Everything `make soak` prints; `failures` empty means it passed."""

    settings: dict[str, Any]
    requests: int
    elapsed_s: float
    statuses: dict[str, int]
    latency_ms: dict[str, dict[str, float]]
    ratings: Ratings
    impressions: int
    recommended_items: int
    queue_depth: int
    dlq_depth: int
    drain_s: float
    backlog: list[int]  # the task queue's depth every 5 s during the load
    exited: list[str]
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every criterion held."""
        return not self.failures

    def summary(self) -> str:
        """A human-readable report."""
        lines = [
            f"soak: {self.requests} requests in {self.elapsed_s:.1f} s "
            f"({self.requests / max(self.elapsed_s, 1e-9):.0f}/s), "
            f"concurrency {self.settings['concurrency']}, deadline {self.settings['deadline_s']} s",
            "status counts:",
            *(f"  {name:<55} {count:>7}" for name, count in sorted(self.statuses.items())),
            "latency ms:",
            *(
                f"  {kind:<16} p50 {v['p50']:>8.1f}  p99 {v['p99']:>8.1f}  max {v['max']:>8.1f}"
                for kind, v in self.latency_ms.items()
            ),
            f"ratings: accepted {self.ratings.accepted}, stored {self.ratings.stored}, "
            f"duplicated {self.ratings.duplicated}, lost {self.ratings.lost}; "
            f"refused {self.ratings.refused} (stored anyway: {self.ratings.refused_stored}; "
            f"SQS-timeout 503, 504 or no answer, stored: {self.ratings.ambiguous_stored})",
            f"impressions counted {self.impressions} of {self.recommended_items} recommended "
            f"(best effort: refused analytics sends are not counted)",
            f"task queue backlog during the load: max {max(self.backlog, default=0)}, "
            f"last {self.backlog[-1] if self.backlog else 0}",
            f"queue drained in {self.drain_s:.1f} s: "
            f"depth {self.queue_depth}, DLQ {self.dlq_depth}",
            "PASS" if self.passed else "FAIL:\n" + "\n".join(f"  - {f}" for f in self.failures),
        ]
        return "\n".join(lines)

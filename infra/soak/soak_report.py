"""The soak's verdict: counts, latencies, the ratings ledger, and each failed pass criterion."""

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from infra.soak.soak_check import Stored
from infra.soak.soak_load import LoadResult

# What each kind of request may answer under the soak's faults; anything else fails the soak.
ALLOWED: dict[str, set[int]] = {
    "movies": {200, 502, 503, 504},
    "recommendations": {200, 502, 503, 504},
    "rating": {202, 503, 504},
}
SLACK_S = 1.0  # an answer may take the deadline plus this, never more


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


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile `q` (0-100) of `values`; 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _latencies(load: LoadResult) -> dict[str, dict[str, float]]:
    kinds = {"all": [s.seconds for s in load.samples]}
    for sample in load.samples:
        kinds.setdefault(sample.kind, []).append(sample.seconds)
    return {
        kind: {
            "p50": percentile(values, 50) * 1000,
            "p99": percentile(values, 99) * 1000,
            "max": max(values, default=0.0) * 1000,
        }
        for kind, values in kinds.items()
    }


def _ledger(load: LoadResult, stored: Stored) -> Ratings:
    keys = Counter((pk, sk) for pk, sk, _ in stored.ratings)
    events = {(pk, sk): event for pk, sk, event in stored.ratings}
    twice = sum(count - 1 for count in keys.values())
    other_event = sum(
        1 for key, event in load.accepted.items() if key in events and events[key] != event
    )
    # Refused before the send (an injected fault, a 4xx): never stored. A 503 after boto3's
    # attempts timed out may follow an attempt SQS did accept; a 504 or no answer at all says
    # nothing either way. Those are reported, not failed: the client retries, which is safe.
    stored_refusals = [why for key, why in load.refused.items() if key in events]
    refused_stored = [why for why in stored_refusals if _refused_before_sending(why)]
    ambiguous = [why for why in stored_refusals if not _refused_before_sending(why)]
    return Ratings(
        accepted=len(load.accepted),
        stored=sum(1 for key in load.accepted if key in events),
        duplicated=twice + other_event,
        lost=sum(1 for key in load.accepted if key not in events),
        refused=len(load.refused),
        refused_stored=len(refused_stored),
        ambiguous_stored=len(ambiguous),
    )


def _refused_before_sending(why: str) -> bool:
    return why.startswith("4") or why == "503 queue_unavailable(injected)"


def build_report(
    load: LoadResult,
    stored: Stored,
    *,
    deadline_s: float,
    recommendation_limit: int,
    exited: list[str],
    settings: dict[str, Any],
    backlog: list[int],
) -> SoakReport:
    """Judge the run against every pass criterion."""
    ratings = _ledger(load, stored)
    failures = []
    counts = load.by_status()
    for (kind, status, error), count in sorted(counts.items(), key=str):
        if status not in ALLOWED[kind]:
            failures.append(f"{count} x {kind} answered {status} {error or ''}".rstrip())
    slow = [s for s in load.samples if s.seconds > deadline_s + SLACK_S]
    if slow:
        worst = max(s.seconds for s in slow)
        failures.append(
            f"{len(slow)} answers slower than {deadline_s + SLACK_S:g} s (worst {worst:.2f} s)"
        )
    if ratings.lost or ratings.duplicated:
        failures.append(f"ratings lost {ratings.lost}, duplicated {ratings.duplicated}")
    if ratings.refused_stored:
        failures.append(f"{ratings.refused_stored} refused ratings were stored anyway")
    if stored.queue_depth or stored.dlq_depth:
        failures.append(f"queue not drained: depth {stored.queue_depth}, DLQ {stored.dlq_depth}")
    # Impressions are counted once per served list at most: more would be double counting. A 504
    # may come after its analytics message was sent: allow a full list for each.
    served_at_most = load.recommended_items + recommendation_limit * sum(
        count
        for (kind, status, _), count in counts.items()
        if kind == "recommendations" and status == 504
    )
    if stored.impressions > served_at_most:
        failures.append(f"{stored.impressions} impressions counted for {served_at_most} served")
    if exited:
        failures.append(f"stack processes exited during the soak: {exited}")
    if not load.accepted:
        failures.append("no rating was accepted: the soak measured nothing")
    return SoakReport(
        settings=settings,
        requests=len(load.samples),
        elapsed_s=load.elapsed_s,
        statuses={
            f"{kind} {status} {error or ''}".rstrip(): count
            for (kind, status, error), count in sorted(counts.items(), key=str)
        },
        latency_ms=_latencies(load),
        ratings=ratings,
        impressions=stored.impressions,
        recommended_items=load.recommended_items,
        queue_depth=stored.queue_depth,
        dlq_depth=stored.dlq_depth,
        drain_s=stored.drain_s,
        backlog=backlog,
        exited=exited,
        failures=failures,
    )

"""Judge a soak: the ratings ledger, the latencies, and each pass criterion that failed."""

from collections import Counter
from typing import Any

from infra.bench.harness.results import percentile as nearest_rank
from infra.soak.soak_check import Stored
from infra.soak.soak_load import LoadResult
from infra.soak.soak_report import Ratings, SoakReport

# What each kind of request may answer under the soak's faults; anything else fails the soak.
ALLOWED: dict[str, set[int]] = {
    "movies": {200, 502, 503, 504},
    "recommendations": {200, 502, 503, 504},
    # 502: the catalog failed the movie check that comes before anything is queued.
    "rating": {202, 502, 503, 504},
}
SLACK_S = 1.0  # an answer may take the deadline plus this, never more


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile `q` (0-100) of `values`, as the bench's; 0 when empty."""
    return nearest_rank(sorted(values), q) if values else 0.0


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
    """Refusals that never reached SQS, so whatever they carried must never be stored."""
    return why.startswith(("4", "502")) or why == "503 queue_unavailable(injected)"


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

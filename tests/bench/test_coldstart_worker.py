"""The worker's first invocation in the cold-start bench: a fresh batch each run, on moto."""

import json

from infra.bench.coldstart import SUBJECTS, measure
from infra.bench.lambda_worker import BATCH, batch_event
from movies.domain.messages import decode


def _event_ids(event: dict[str, object]) -> set[str]:
    records = event["Records"]
    assert isinstance(records, list)
    return {json.loads(record["body"])["event_id"] for record in records}


def test_each_batch_holds_new_messages_of_both_types() -> None:
    arn = "arn:aws:sqs:us-east-1:123456789012:tasks"
    first, second = batch_event(0, arn), batch_event(1, arn)
    assert len(_event_ids(first)) == BATCH
    assert _event_ids(first).isdisjoint(_event_ids(second))
    messages = [decode(record["body"]) for record in first["Records"]]
    assert {message.type for message in messages} == {"RatingSubmitted", "RecommendationsServed"}


def test_the_worker_is_timed_through_its_first_batch() -> None:
    (worker,) = [subject for subject in SUBJECTS if subject.handler == "handlers.worker"]
    cold = measure(worker, runs=1)
    assert not cold.reason, cold.reason
    assert cold.names == (f"batch of {BATCH}",)
    assert cold.median_invocation_s(0) > 0
    assert cold.median_init_s > 0
    assert cold.median_floor_s > 0

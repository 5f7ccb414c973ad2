"""The worker's first invocation in the cold-start bench: a fresh batch each run, on moto."""

import json
import os
import subprocess
import sys

from infra.bench.suites.coldstart.measure import SUBJECTS, measure
from infra.bench.suites.worker.batches import BATCH, batch_event
from infra.local.processes import ROOT
from movies.domain.messages import decode


def _event_ids(event: dict[str, object]) -> set[str]:
    records = event["Records"]
    assert isinstance(records, list)
    return {json.loads(record["body"])["event_id"] for record in records}


def test_each_batch_holds_new_messages_of_both_types() -> None:
    first, second = batch_event(0), batch_event(1)
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


def test_the_bench_driver_builds_batches_without_functions_on_its_path() -> None:
    # make bench-coldstart's driver runs from the repository root only: functions/ is what it
    # measures, from the artifact, never what it imports.
    code = (
        "import sys; from infra.bench.suites.coldstart.events import worker_batches; "
        "from infra.bench.suites.worker.batches import batch_event; batch_event(0); "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('movies', 'handlers')]"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr

"""The bench's pure logic, without a timed run: ab's report parses, the lesson's floor holds, and
each worker batch is new messages of both types (tests/bench runs the benchmarks themselves)."""

import json

from infra.bench.harness.ab import parse_ab_text, parse_ab_tsv
from infra.bench.harness.loadgen import ab_floor_s
from infra.bench.suites.worker.batches import BATCH, batch_event
from movies.domain.messages import decode

AB_REPORT = """\
Complete requests:      200
Failed requests:        3
   (Connect: 0, Receive: 0, Length: 3, Exceptions: 0)
Non-2xx responses:      3
Time taken for tests:   9.046 seconds
Requests per second:    22.11 [#/sec] (mean)
  50%   3010
  99%   6020
 100%   6031 (longest request)
"""


def test_floor_is_the_lessons() -> None:
    assert ab_floor_s(200, 100, 3.0) == 9.0
    assert ab_floor_s(1, 1, 3.0) == 3.0


def test_ab_report_parses() -> None:
    values = parse_ab_text(AB_REPORT)
    assert values["complete"] == 200
    assert values["failed"] == values["non_2xx"] == 3
    assert values["time_s"] == 9.046
    assert values["p100"] == 6031
    tsv = "starttime\tseconds\tctime\tdtime\tttime\twait\nx\t1\t0\t5\t7\t5\nx\t1\t0\t2\t3\t2\n"
    assert parse_ab_tsv(tsv) == [3.0, 7.0]


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

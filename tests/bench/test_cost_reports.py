"""bench-cost reads the stand-in's REPORT lines back: Lambda's format, amid other output."""

from pathlib import Path

from infra.bench.harness.lambda_reports import Invocation, parse_report, parse_reports, read_reports
from infra.gateway.environments import Report

# A line as Lambda writes it to CloudWatch Logs (tab-separated, Init Duration on a cold start).
LAMBDA_LINE = (
    "REPORT RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3\tDuration: 12.34 ms\t"
    "Billed Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\tInit Duration: 120.52 ms"
)


def test_a_line_as_lambda_writes_it_reads_back() -> None:
    assert parse_report(LAMBDA_LINE) == Invocation(
        "3604209a-e9a3-11e6-939a-754dd98c7be3", 12.34, 13, 128, 18, 120.52
    )


def test_the_stand_ins_cold_line_round_trips_with_init_in_the_bill() -> None:
    line = Report("req-1", 2999.25, 1024, 180 * 1024, 412.5).line()
    invocation = parse_report(line)
    # Billed: 2999.25 + 412.5 ms rounded up; memory: the peak resident set in MB.
    assert invocation == Invocation("req-1", 2999.25, 3412, 1024, 180, 412.5)
    assert invocation is not None
    assert invocation.cold


def test_a_warm_line_has_no_init_and_bills_at_least_a_millisecond() -> None:
    invocation = parse_report(Report("req-2", 0.4, 1024, 170 * 1024, None).line())
    assert invocation == Invocation("req-2", 0.4, 1, 1024, 170, None)
    assert invocation is not None
    assert not invocation.cold


def test_other_output_is_skipped_and_reports_are_keyed_by_request_id(tmp_path: Path) -> None:
    lines = [
        '{"level":"INFO","message":"request","request_id":"req-1"}',
        Report("req-1", 5.0, 1024, 1024, 300.0).line(),
        "environment 4242 died: discarded",
        Report("req-2", 7.5, 1024, 1024, None).line(),
    ]
    reports = parse_reports(lines)
    assert sorted(reports) == ["req-1", "req-2"]
    assert reports["req-2"].billed_ms == 8
    log = tmp_path / "lambda.out"
    log.write_text("\n".join(lines) + "\n")
    assert read_reports(log) == reports
    assert read_reports(tmp_path / "missing.out") == {}

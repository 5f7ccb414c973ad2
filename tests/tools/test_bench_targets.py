"""Throughput targets are medians of back-to-back pairs: no one noisy sub-second run decides."""

from pathlib import Path

from infra.bench.harness.results import LoadResult
from infra.bench.harness.runs import RunRecord
from infra.bench.suites.full.plan import make_plan
from infra.bench.suites.full.targets import evaluate_throughput


def record(rps: float) -> RunRecord:
    result = LoadResult(1000, 100, 1000, 1000 / rps, rps, 1, 1, 1, 1, 0, 0, Path("x.log"))
    return RunRecord("route", 0, result, 0, 0.0, 100)


def test_the_median_pair_decides_and_every_pair_is_shown() -> None:
    plan = make_plan("quick")
    records = {("movies", 0, 100): record(500), ("aiohttp", 0, 100): record(1000)}
    extra = {
        ("movies", 0, 100): [record(880), record(900)],
        ("aiohttp", 0, 100): [record(1000), record(1000)],
    }
    movies = evaluate_throughput(plan, records, extra)[0]
    assert movies.name.startswith("(3) /movies ÷ /aiohttp-movies")
    assert movies.passed  # 0.50, 0.88, 0.90: one slow run does not fail it
    assert "median of 3 pairs = 0.88" in movies.detail
    assert "0.50, 0.88, 0.90" in movies.detail


def test_a_cell_without_runs_is_not_measured_and_fails() -> None:
    targets = evaluate_throughput(make_plan("quick"), {}, {})
    assert [t.line() for t in targets][1].startswith("FAIL  (4) /health ÷ /constant")
    assert all(not t.passed and t.detail == "not measured" for t in targets)

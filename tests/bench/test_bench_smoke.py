"""bench-smoke: every benchmark code path with tiny counts, so the bench code never rots.

Asserts that each suite's results JSON reads back into its dataclasses and that the reports and
charts rendered from it exist; never asserts a timing. The lesson runs with the built-in load
client and bench-full with ab when it is installed (else the built-in client too), so both
generators are exercised wherever ab exists.
"""

import shutil
from pathlib import Path

from infra.bench.harness.results_json import dump, read_results
from infra.bench.suites.cost.records import CostResults, Workload
from infra.bench.suites.cost.report import target_line
from infra.bench.suites.cost.suite import run_cost
from infra.bench.suites.cost.workload import MIX
from infra.bench.suites.full.plan import make_plan
from infra.bench.suites.full.records import FullResults
from infra.bench.suites.full.suite import run_full
from infra.bench.suites.lesson import LessonResults, run_lesson
from infra.bench.suites.ratings import BLOCK, Load, RatingsRun, run_ratings

LOADGEN = "ab" if shutil.which("ab") else "python"
PNG = b"\x89PNG\r\n\x1a\n"


def test_lesson_writes_its_logs_records_and_table(tmp_path: Path) -> None:
    results = run_lesson(tmp_path, n=4, c=2, latency_ms=0, loadgen_name="python")

    for name in ("blocking.log", "async.log", "summary.md"):
        assert (tmp_path / name).read_text()
    assert read_results(tmp_path / "lesson.json", LessonResults) == results
    assert (results.run.suite, results.n, results.c, results.latency_ms) == ("lesson", 4, 2, 0)
    assert "built-in Python client" in results.run.machine
    assert [r.route for r in results.records] == ["/blocking-movies", "/movies"]
    for record in results.records:
        assert record.result.error is None
        assert record.result.failed == record.result.non_2xx == 0
        assert record.upstream_calls == 4  # caching is off: one catalog call each
        assert record.result.rps > 0
    assert "| upstream calls | 4 | 4 |" in (tmp_path / "summary.md").read_text()


def test_full_writes_results_report_charts_and_targets(tmp_path: Path) -> None:
    results = run_full(make_plan("smoke"), tmp_path, LOADGEN)

    assert read_results(tmp_path / "full.json", FullResults) == results
    assert (tmp_path / "full.md").read_text().startswith("# make bench-full (smoke)")
    for chart in ("throughput.png", "latency.png"):
        assert (tmp_path / chart).read_bytes().startswith(PNG)
    # (4) once per concurrency: one here; (6) once per handler
    assert len(results.targets) == 7
    assert all(t.line().startswith(("PASS  (", "FAIL  (")) for t in results.targets)
    throughput = [t for t in results.targets if t.name.startswith(("(3)", "(4)"))]
    assert all("median of 2 pairs" in t.detail for t in throughput), throughput
    upstream = [m for m in results.matrix if m.step.route.upstream]
    labels = {m.step.route.label for m in upstream}
    assert labels == {"/movies", "/aiohttp-movies", "/blocking-movies", "/movies (Lambda)"}
    for m in upstream:
        assert m.record is not None, m.step
        assert m.record.result.n == 4
        assert m.record.result.failed == m.record.result.non_2xx == 0, m
        assert m.record.upstream_calls == 4
    by_key = results.by_key()
    health, constant = by_key[("health", 0, 2)], by_key[("constant", 0, 2)]
    assert health.result.rps > 0
    assert constant.result.rps > 0
    assert len(results.pairs) == 2 * 2  # one extra pair for each of (3) and (4)
    # Cold start as deployed: needs the x86_64 twin (make pytest and make bench-smoke build it).
    colds = {cold.handler: cold for cold in results.section.coldstarts}
    assert set(colds) == {"handlers.api", "handlers.worker"}
    for cold in colds.values():
        assert not cold.reason, cold.reason
        assert cold.median_init_s > 0
        assert cold.median_floor_s > 0
        assert cold.ratio > 0
    assert colds["handlers.api"].names == ("health", "movies")
    assert colds["handlers.worker"].names == ("batch of 10",)
    api, worker = results.section.api, results.section.worker
    assert not isinstance(api, str), api
    assert [w.path for w in api.warm] == ["/health", "/movies"]
    assert all(w.statuses == {"200": 20} for w in api.warm)
    assert not isinstance(worker, str), worker
    assert worker.batches == 2
    assert worker.failed_records == 0


def test_recommendations_bench_counts_one_call_cold_and_four_with_three_liked_genres() -> None:
    from infra.bench.suites.recommendations import measure

    rows = measure(size=2000, latency_ms=0, runs=1)
    assert [(row.user, row.calls) for row in rows] == [("cold", 1.0), ("rated", 4.0)]


def test_ratings_bench_reports_blocks_rates_and_a_json_that_reads_back(tmp_path: Path) -> None:
    result = run_ratings(tmp_path, Load(ratings=2 * BLOCK + 10, clients=5))
    assert [block.first for block in result.blocks] == [0, BLOCK, 2 * BLOCK]
    assert result.refused == 0
    assert result.accepted_per_s > 0
    assert result.stored_per_s > 0
    assert read_results(tmp_path / "ratings.json", RatingsRun) == result
    assert result.ratings == 2 * BLOCK + 10
    assert result.run.suite == "ratings"
    assert "Last 100 ÷ first 100" in (tmp_path / "ratings.md").read_text()


def test_cost_bench_measures_both_modes_and_writes_a_json_that_reads_back(tmp_path: Path) -> None:
    workload = Workload(
        requests=10,
        users=3,
        concurrency=2,
        seed=17,
        latency_ms=0,
        lambda_concurrency=4,
        probe_size=1,
    )
    results = run_cost(tmp_path, workload)
    # Compared as JSON: a route the tiny plan never drew has NaN figures, and NaN != NaN.
    assert dump(read_results(tmp_path / "cost.json", CostResults)) == dump(results)
    assert [m.mode for m in results.modes] == ["as shipped", "off"]
    for mode in results.modes:
        assert mode.mix.requests == mode.mix.invoked == 10  # each matched its REPORT line
        assert [r.route for r in mode.routes] == [route for route, _ in MIX]
        assert mode.environments_started >= 1
    assert len(results.targets) == 5
    assert all(target_line(t).startswith(("met ", "missed ")) for t in results.targets)
    assert (tmp_path / "cost.md").read_text().startswith("# make bench-cost")
    assert "a model, not a measurement" in (tmp_path / "capacity.md").read_text()

"""bench-smoke: every benchmark code path with tiny counts, so the bench code never rots.

Asserts that the outputs exist and parse; never asserts a timing. The lesson runs with the
built-in load client and bench-full with ab when it is installed (else the built-in client too),
so both generators are exercised wherever ab exists.
"""

import json
import shutil
from pathlib import Path

from infra.bench.ab import parse_ab_text, parse_ab_tsv
from infra.bench.full import run_full
from infra.bench.lesson import run_lesson
from infra.bench.loadgen import ab_floor_s
from infra.bench.matrix import make_plan
from infra.bench.ratings import BLOCK, Load, run_ratings
from infra.bench.report import parse_markdown_tables

LOADGEN = "ab" if shutil.which("ab") else "python"
PNG = b"\x89PNG\r\n\x1a\n"
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


def test_lesson_writes_its_logs_and_table(tmp_path: Path) -> None:
    records, _ = run_lesson(tmp_path, n=4, c=2, latency_ms=0, loadgen_name="python")

    assert [r.route for r in records] == ["/blocking-movies", "/movies"]
    assert all(r.result.error is None for r in records)
    for name in ("blocking.log", "async.log", "summary.md"):
        assert (tmp_path / name).read_text()
    (table,) = parse_markdown_tables((tmp_path / "summary.md").read_text())
    rows = {row[""]: row for row in table}
    for route in ("`/blocking-movies`", "`/movies`"):
        assert rows["failed requests (ab)"][route] == "0"
        assert rows["non-2xx responses"][route] == "0"
        assert rows["upstream calls"][route] == "4"  # caching is off: one catalog call each
        assert float(rows["requests/s"][route].replace(",", "")) > 0


def test_full_writes_report_charts_and_targets(tmp_path: Path) -> None:
    result = run_full(make_plan("smoke"), tmp_path, LOADGEN)

    text = result.report.read_text()
    for chart in result.charts:
        assert chart.read_bytes().startswith(PNG)
    # (4) once per concurrency: one here; (6) once per handler
    assert len(result.targets) == 7
    assert all(t.line().startswith(("PASS  (", "FAIL  (")) for t in result.targets)
    throughput = [t for t in result.targets if t.name.startswith(("(3)", "(4)"))]
    assert all("median of 2 pairs" in t.detail for t in throughput), throughput
    matrix, local, coldstart, *rest = parse_markdown_tables(text)
    routes = {row["route"] for row in matrix}
    assert routes == {"`/movies`", "`/aiohttp-movies`", "`/blocking-movies`", "`/movies (Lambda)`"}
    for row in matrix:
        assert row["n"] == "4"
        assert row["failed"] == row["non-2xx"] == "0", row
        assert row["upstream calls"] == "4"
    assert local[0]["c"] == "2"
    assert float(local[0]["ratio"]) > 0
    # Cold start as deployed: needs the x86_64 twin (make pytest and make bench-smoke build it).
    rows = {row["handler"]: row for row in coldstart}
    assert set(rows) == {"`handlers.api`", "`handlers.worker`"}
    for row in rows.values():
        assert float(row["init (ms)"].replace(",", "")) > 0, row
        assert float(row["floor (ms)"].replace(",", "")) > 0, row
        assert float(row["init ÷ floor"].strip("*")) > 0, row
    assert "`health`" in rows["`handlers.api`"]["invocations (ms)"]
    assert "`batch of 10`" in rows["`handlers.worker`"]["invocations (ms)"]
    warm = next(table for table in rest if table and "path" in table[0])
    assert {row["path"] for row in warm} == {"`/health`", "`/movies`"}
    assert all(row["statuses"] == "200: 20" for row in warm)


def test_recommendations_bench_counts_one_call_cold_and_four_with_three_liked_genres() -> None:
    from infra.bench.recommendations import measure

    rows = measure(size=2000, latency_ms=0, runs=1)
    assert [(row[1], row[4]) for row in rows] == [("cold", "1.0"), ("rated", "4.0")]


def test_ratings_bench_reports_blocks_rates_and_a_json_that_reads_back(tmp_path: Path) -> None:
    result = run_ratings(tmp_path, Load(ratings=2 * BLOCK + 10, clients=5))
    assert [block.first for block in result.blocks] == [0, BLOCK, 2 * BLOCK]
    assert result.refused == 0
    assert result.accepted_per_s > 0
    assert result.stored_per_s > 0
    saved = json.loads((tmp_path / "ratings.json").read_text())
    assert saved["ratings"] == 2 * BLOCK + 10
    assert saved["last_over_first"] == result.last_over_first
    assert "Last 100 ÷ first 100" in (tmp_path / "ratings.md").read_text()

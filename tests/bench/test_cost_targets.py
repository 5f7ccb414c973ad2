"""Issue 17's targets from one run's results: met at the limit, missed past it, with the figure."""

from infra.bench.suites.cost.modes import OFF, SHIPPED
from infra.bench.suites.cost.probes import ThrottleProbe
from infra.bench.suites.cost.records import Probes
from infra.bench.suites.cost.report import render_report, target_line
from infra.bench.suites.cost.targets import cost_targets
from tests.support.cost_results import WORKLOAD, mode, probes, results, route


def _verdicts(shipped_ms: float, off_ms: float, found: Probes | None = None) -> dict[str, bool]:
    modes = [mode(SHIPPED, [], shipped_ms), mode(OFF, [], off_ms)]
    found = found or probes()
    targets = cost_targets(modes, found, WORKLOAD.latency_ms, WORKLOAD.lambda_concurrency)
    return {t.name[:3] + ("/off" if "caching off" in t.name else ""): t.passed for t in targets}


def test_every_target_met_at_its_limit() -> None:
    # 150 ms is 5 % of 3 s, and a tenth of 1,500 ms; 0 calls; 100 ms.
    verdicts = _verdicts(150, 1500, probes(slowest_ms=100, refused_ms=100))
    assert verdicts == {"(1)": True, "(1)/off": True, "(2)": True, "(3)": True, "(4)": True}


def test_each_target_missed_just_past_its_limit() -> None:
    assert _verdicts(151, 3000)["(1)"] is False
    assert _verdicts(150, 1499)["(1)/off"] is False
    assert _verdicts(150, 3000, probes(further_calls=1))["(2)"] is False
    assert _verdicts(150, 3000, probes(slowest_ms=101))["(2)"] is False
    assert _verdicts(150, 3000, probes(second_calls=1))["(3)"] is False
    assert _verdicts(150, 3000, probes(refused_ms=101))["(4)"] is False


def test_a_request_that_was_served_was_not_refused() -> None:
    found = probes()
    served = Probes(found.repeat, found.shared, ThrottleProbe(10, [200] * 10, 200, 3.0))
    [*_, throttle] = cost_targets([], served, 3000, 10)
    assert not throttle.passed
    assert "not refused (200)" in throttle.detail


def test_a_missing_run_or_probe_is_a_miss_that_says_why() -> None:
    found = Probes("the stack did not start", "not run", "not run")
    targets = cost_targets([mode(OFF, [], 3000)], found, 3000, 10)
    assert not any(t.passed for t in targets)
    assert targets[0].detail == "the as-shipped run failed"
    assert targets[2].detail == "the stack did not start"


def test_the_report_says_met_or_missed_with_each_figure() -> None:
    modes = [
        mode(SHIPPED, [route("GET /movies", 10, 3000.0)], 3000.0),
        mode(OFF, [route("GET /movies", 10, 3010.0)], 3010.0),
    ]
    text = render_report(results(modes, probes(further_calls=11, slowest_ms=3050)))
    lines = [target_line(t) for t in results(modes, probes(further_calls=11)).targets]
    assert lines[0] == (
        "missed  (1) mix after warm-up, mean billed ÷ catalog latency: "
        "3,000 ÷ 3,000 ms = 100.0 % (target ≤ 5%, 150 ms)"
    )
    assert lines[1].endswith("3,000 ÷ 3,010 ms = 0.997 (target ≤ 0.1)")
    assert "catalog calls after the first: 11 (target 0); slowest of the 11: 3,050 ms" in text
    assert lines[4].startswith("met     (4) a request beyond LAMBDA_CONCURRENCY (10) refused")
    assert "| `GET /movies` | 10 | 3,000 |" in text

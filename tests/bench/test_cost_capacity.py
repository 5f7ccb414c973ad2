"""The capacity model on hand-made figures: Little's law, dollars, where each limit breaks."""

import math

import pytest

from infra.bench.harness.aws_calls import Usage
from infra.bench.harness.results_json import read_results
from infra.bench.suites.cost.capacity import (
    SECONDS_PER_MONTH,
    MixModel,
    limits,
    mix_model,
    step,
)
from infra.bench.suites.cost.capacity_page import render_capacity
from infra.bench.suites.cost.modes import OFF, SHIPPED
from infra.bench.suites.cost.records import CostResults
from infra.local.processes import ROOT
from tests.support.cost_results import mode, results, route

# 80 % public reads billed 100 ms at $2 a million; 20 % recommendations billed 500 ms at $20,
# each queuing one message and moving 20 index entries.
ROUTES = [
    route("GET /movies", 80, 100.0, usd_per_million=2.0, catalog_calls=1, counted_over=10),
    route(
        "GET /me/recommendations",
        20,
        500.0,
        usd_per_million=20.0,
        usage=Usage(messages=1, index_writes=20),
    ),
]
RESULTS = results([mode(SHIPPED, ROUTES, 180.0), mode(OFF, ROUTES, 180.0)])
MIX = mix_model(RESULTS.modes[0])  # the trending index on one partition key


def _limit(name: str, cdn: bool, mix: MixModel = MIX) -> float:
    [found] = [lim for lim in limits(RESULTS, mix, cdn) if lim.name.startswith(name)]
    return found.breaks_at()


def test_shares_and_figures_per_request() -> None:
    movies, recommendations = MIX.routes
    assert (movies.share, recommendations.share) == (0.8, 0.2)
    assert (movies.public, recommendations.public) == (True, False)
    assert recommendations.billed_s == 0.5
    assert recommendations.usd == pytest.approx(20e-6)
    assert (recommendations.messages, recommendations.index_writes) == (1, 20)
    assert movies.catalog_calls == 0.1


def test_littles_law_and_the_monthly_bill_without_the_cdn() -> None:
    at = step(RESULTS, MIX, 1000, cdn=False)
    assert at.environments == pytest.approx(1000 * (0.8 * 0.1 + 0.2 * 0.5))
    assert at.origin_rate == pytest.approx(1000)
    assert at.usd_month == pytest.approx(1000 * SECONDS_PER_MONTH * (0.8 * 2e-6 + 0.2 * 20e-6))


def test_the_cdn_answers_nine_public_reads_in_ten_and_adds_its_request_price() -> None:
    at = step(RESULTS, MIX, 1000, cdn=True)
    assert at.origin_rate == pytest.approx(1000 * (0.8 * 0.1 + 0.2))
    assert at.environments == pytest.approx(1000 * (0.8 * 0.1 * 0.1 + 0.2 * 0.5))
    origin_usd = 0.8 * 0.1 * 2e-6 + 0.2 * 20e-6
    assert at.usd_month == pytest.approx(1000 * SECONDS_PER_MONTH * (origin_usd + 1e-6))


def test_each_limit_breaks_at_its_limit_over_its_figure_per_request() -> None:
    assert _limit("HTTP API stage throttle", cdn=False) == pytest.approx(100)
    assert _limit("HTTP API stage throttle", cdn=True) == pytest.approx(100 / 0.28)
    assert _limit("ApiReservedConcurrency", cdn=False) == pytest.approx(200 / 0.18)
    assert _limit("account concurrency", cdn=False) == pytest.approx(895 / 0.18)
    assert _limit("worker", cdn=False) == pytest.approx(5 * 40 / 0.2)
    assert _limit("DynamoDB trending index, writes", cdn=False) == pytest.approx(250)
    # Sharded over 8 partition keys, the index takes 8 times the writes.
    sharded = MixModel(MIX.routes, index_partitions=8)
    assert _limit("DynamoDB trending index, writes", False, sharded) == pytest.approx(2000)
    assert _limit("the catalog", cdn=False) == math.inf


def test_what_breaks_first_comes_first_with_what_to_change() -> None:
    at = step(RESULTS, MIX, 2000, cdn=False)
    names = [lim.name for lim in at.broken]
    assert names[:2] == [
        "HTTP API stage throttle (ThrottlingRateLimit)",
        "DynamoDB trending index, writes (1,000 WCU/s a partition)",
    ]
    assert "worker: MaximumConcurrency x records/s per environment" in names
    [worker] = [lim for lim in at.broken if lim.name.startswith("worker")]
    # 400 messages a second at 40 a second per environment.
    assert worker.advice(2000).endswith("WorkerReservedConcurrency to 10")
    assert not step(RESULTS, MIX, 10, cdn=False).broken


def test_the_page_is_labelled_a_model_and_names_its_run() -> None:
    page = render_capacity(RESULTS)
    assert page.startswith("# Capacity: a model on measured figures")
    assert "**This page is a model, not a measurement.**" in page
    assert "commit abc1234" in page
    assert "| 1,000 | 1,000 | 180.0 |" in page


def test_docs_capacity_is_the_page_of_the_committed_run() -> None:
    # docs/capacity.md is generated: a change to the model or to the run shows here, and the fix
    # is `python -m infra.bench capacity --results docs/bench/cost.json --out docs/capacity.md`.
    committed = read_results(ROOT / "docs" / "bench" / "cost.json", CostResults)
    assert (ROOT / "docs" / "capacity.md").read_text() == render_capacity(committed)

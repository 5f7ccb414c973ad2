"""`python -m infra.bench capacity`: docs/capacity.md, the capacity model, from a cost.json.

The page is generated, numbers and all, from one bench-cost run's results, so that it can be
regenerated from a newer run: python -m infra.bench capacity --results bench-results/cost.json
--out docs/capacity.md.
"""

import argparse
import math
from collections.abc import Sequence
from pathlib import Path

from infra.bench.harness.report import DASH, fmt, markdown_table
from infra.bench.harness.results_json import read_results
from infra.bench.suites.cost.capacity import (
    CDN_HIT_RATIO,
    RATES,
    MixModel,
    RouteModel,
    limits,
    mix_model,
    step,
)
from infra.bench.suites.cost.modes import OFF, SHIPPED
from infra.bench.suites.cost.records import CostResults
from infra.bench.suites.cost.report import caching

SOURCES = (
    "- API Gateway's account quota: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html\n"
    "- Lambda's concurrent executions: https://docs.aws.amazon.com/lambda/latest/dg/limits.html\n"
    "- DynamoDB's per-partition throughput: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html\n"
    "- CloudFront's requests per distribution: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html\n"
)  # fmt: skip


def _number(value: float) -> str:
    return "∞" if math.isinf(value) else fmt(value, 0)


def _inputs(routes: Sequence[RouteModel]) -> str:
    rows = [
        [f"`{r.route}`", f"{r.share:.0%}", fmt(r.billed_s * 1000, 0), fmt(r.usd * 1e6, 2),
         fmt(r.messages, 2), fmt(r.index_writes, 1), fmt(r.trending_reads, 2),
         fmt(r.catalog_calls, 2)]
        for r in routes
    ]  # fmt: skip
    headers = ["route", "share", "billed ms / request", "USD / 1M requests", "messages",
               "index writes", "trending reads (RCU)", "catalog calls"]  # fmt: skip
    return markdown_table(headers, rows)


def _limits(results: CostResults, mix: MixModel) -> str:
    plain = {lim.name: lim for lim in limits(results, mix, cdn=False)}
    rows = []
    for lim in limits(results, mix, cdn=True):
        base = plain.get(lim.name)
        without = [fmt(base.per_rate, 3), _number(base.breaks_at())] if base else [DASH, DASH]
        rows.append([
            lim.name, lim.unit, _number(lim.limit), *without,
            fmt(lim.per_rate, 3), _number(lim.breaks_at()),
        ])  # fmt: skip
    headers = ["limit", "unit", "limit", "at 1 req/s, no CDN", "breaks at (req/s), no CDN",
               "at 1 req/s, CDN", "breaks at (req/s), CDN"]  # fmt: skip
    return markdown_table(headers, rows, align_right_from=2)


def _steps(results: CostResults, mix: MixModel, cdn: bool) -> str:
    rows = []
    for rate in RATES:
        s = step(results, mix, rate, cdn)
        broken = "; ".join(
            f"{lim.name}: {_number(lim.figure(rate))} > {_number(lim.limit)} {lim.unit}"
            for lim in s.broken
        )
        changes = "; ".join(lim.advice(rate) for lim in s.broken)
        rows.append([
            f"{rate:,}", _number(s.origin_rate), fmt(s.environments, 1), fmt(s.usd_month, 0),
            broken or "nothing", changes or "nothing",
        ])  # fmt: skip
    headers = ["req/s", "reach the API (req/s)", "API environments", "USD a month",
               "what breaks, the first first (figure > limit)", "what to change"]  # fmt: skip
    return markdown_table(headers, rows, align_right_to=4)


def _mode_model(results: CostResults, name: str) -> MixModel | None:
    mode = results.mode(name)
    return mix_model(mode) if mode else None


def _caching(results: CostResults) -> str:
    mode = results.mode(SHIPPED)
    return caching(mode) if mode else "not measured"


def _partitions(count: int) -> str:
    spread = (
        "one partition key, so every impression's index write and every trending read meets "
        "that one partition's"
        if count == 1
        else f"{count} partition keys; spread evenly, the writes and reads meet {count} times"
    )
    return (
        f"The trending counters' index held {spread} 1,000 WCU and 3,000 RCU a second (counted "
        "in the run's table). DynamoDB may split a partition by sort key under heat, so these "
        "are the rates at which throttling can start. The catalog's own limit is not known "
        "here: its row says what it must sustain.\n\n"
    )


def render_capacity(results: CostResults) -> str:
    """The page."""
    shipped, off = _mode_model(results, SHIPPED), _mode_model(results, OFF)
    run, w = results.run, results.workload
    head = (
        "# Capacity: a model on measured figures\n\n"
        "**This page is a model, not a measurement.** Its per-request figures were measured by "
        f"one `make bench-cost` run (commit {run.commit or 'unknown'}, {run.started_utc} UTC, "
        f"{run.machine}; catalog at {w.latency_ms:,} ms, LAMBDA_CONCURRENCY "
        f"{w.lambda_concurrency}) through the local Lambda stand-in; the limits are AWS's "
        "published defaults and template.yaml's; everything between is arithmetic: environments "
        "by Little's law (rate x mean billed duration), dollars at the run's price table for a "
        "730-hour month. Generated by `python -m infra.bench capacity --results "
        "bench-results/cost.json --out docs/capacity.md` (infra/bench/suites/cost/capacity.py); "
        "regenerate it after a new run rather than editing it.\n\n"
    )
    if shipped is None:
        return head + "The as-shipped run is missing from these results: no model.\n"
    parts = [
        head,
        f"## The measured inputs, caching as shipped ({_caching(results)})\n\n",
        "Per request of each route (catalog calls and AWS usage counted on the route alone, in "
        "the state the measured pass left; see docs/benchmarks.md, bench-cost):\n\n",
        _inputs(shipped.routes),
        "\n## Where each limit breaks\n\n",
        _partitions(shipped.index_partitions),
        _limits(results, shipped),
        "\n## 10 to 10,000 requests a second, without the CDN\n\n",
        _steps(results, shipped, cdn=False),
        f"\n## With the CDN in front (EnableCdn): {CDN_HIT_RATIO:.0%} of public reads answered "
        "at the edge\n\n",
        "An assumed hit ratio: personal routes (`/me/*`) always reach the API; CloudFront's "
        "request price is added for every request.\n\n",
        _steps(results, shipped, cdn=True),
    ]
    if off is not None:
        parts += ["\n## Caching off, for comparison (no CDN)\n\n", _steps(results, off, cdn=False)]
    parts += [
        "\n## What the model leaves out\n\n",
        "- Peaks and cold starts: Little's law gives the mean concurrency; plan headroom above "
        "it, and Lambda adds at most 1,000 environments every 10 seconds per function.\n"
        "- Data transfer out (paid with or without the CDN), free tiers, and the cheaper tiers "
        "of very large volumes.\n"
        "- The worker's records a second were measured against moto on loopback (an upper "
        "figure for its time per record; real DynamoDB answers faster).\n"
        "- The catalog calls a second scale with the rate here; with a shared cache they are "
        "bounded by the distinct pages per TTL instead, so the figure is an upper one.\n"
        "- New on-demand tables start with a warm throughput of 4,000 write and 12,000 read "
        "units a second and grow with use.\n\n",
        "Sources of the limits:\n\n",
        SOURCES,
    ]
    return "".join(parts)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's options."""
    parser.add_argument("--results", type=Path, default=Path("bench-results/cost.json"))
    parser.add_argument("--out", type=Path, default=Path("docs/capacity.md"))


def main(args: argparse.Namespace) -> int:
    """Write the page from the results."""
    args.out.write_text(render_capacity(read_results(args.results, CostResults)))
    print(f"wrote {args.out} from {args.results}")
    return 0

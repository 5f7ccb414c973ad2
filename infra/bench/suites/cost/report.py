"""cost.md, from cost.json: the targets, each mode's bill per route and for the mix, the prices."""

from infra.bench.harness.report import Target, fmt, markdown_table
from infra.bench.suites.cost.figures import RouteFigures
from infra.bench.suites.cost.prices import Prices
from infra.bench.suites.cost.records import CostResults, ModeResults
from infra.bench.suites.cost.workload import MIX


def target_line(target: Target) -> str:
    """`met     (n) what: figure`, or `missed  ...`."""
    return f"{'met   ' if target.passed else 'missed'}  {target.name}: {target.detail}"


def _usd(value: float) -> str:
    return fmt(value, 2)


def _route_row(f: RouteFigures) -> list[str]:
    name = "**mix**" if f.route == "mix" else f"`{f.route}`"
    return [
        name,
        str(f.requests),
        fmt(f.billed_p50_ms, 0),
        fmt(f.billed_p99_ms, 0),
        fmt(f.billed_mean_ms, 0),
        fmt(f.cost.gb_seconds, 0),
        _usd(f.cost.total),
        fmt(f.catalog_calls_per_1000, 0),
        str(f.cold_starts),
        str(f.not_invoked),
        str(f.non_2xx),
    ]


def caching(mode: ModeResults) -> str:
    """The caching variables a mode gave the function, in words."""
    return ", ".join(f"`{k}={v}`" for k, v in mode.env.items()) or (
        "template.yaml sets no caching variable: the app's defaults"
    )


def _mode_table(mode: ModeResults) -> str:
    headers = ["route", "requests", "billed p50 (ms)", "billed p99 (ms)", "billed mean (ms)",
               "GB-s / 1M req", "USD / 1M req", "catalog calls / 1,000", "cold starts",
               "not invoked", "non-2xx"]  # fmt: skip
    rows = [_route_row(f) for f in [*mode.routes, mode.mix]]
    return (
        f"### Caching {mode.mode} ({caching(mode)})\n\n"
        f"{'After one warm-up pass of the same workload. ' if mode.warmed_up else ''}"
        f"Measured pass: {fmt(mode.pass_s, 1)} s; environments started over the stack's life: "
        f"{mode.environments_started}.\n\n" + markdown_table(headers, rows)
    )


def _parts(modes: list[ModeResults]) -> str:
    parts = [
        ("Lambda duration (arm64)", "lambda_duration"),
        ("Lambda requests", "lambda_requests"),
        ("HTTP API requests", "http_api"),
        ("SQS requests (the API's sends)", "sqs"),
        ("DynamoDB reads and writes", "dynamodb"),
        ("worker: invocations, duration, SQS receive and delete", "worker"),
        ("**total**", "total"),
    ]
    rows = [[name, *(_usd(getattr(m.mix.cost, part)) for m in modes)] for name, part in parts]
    return markdown_table(["USD per million requests of the mix", *(m.mode for m in modes)], rows)


def _usage(mode: ModeResults) -> str:
    rows = []
    for f in [*mode.routes, mode.mix]:
        c, u = f.counted, f.counted.usage
        rows.append([
            "**mix**" if f.route == "mix" else f"`{f.route}`", str(c.requests),
            fmt(c.per_request(u.read_units), 2), fmt(c.per_request(u.write_units), 2),
            fmt(c.per_request(u.index_writes), 2), fmt(c.per_request(u.sqs_requests), 2),
            fmt(c.per_request(u.messages), 2), fmt(c.per_request(c.catalog_calls), 2),
        ])  # fmt: skip
    headers = ["route", "counted over", "read units", "write units", "of which index",
               "SQS requests", "messages", "catalog calls"]  # fmt: skip
    return f"Per request, caching {mode.mode}:\n\n" + markdown_table(headers, rows)


def price_table(prices: Prices) -> str:
    """The dated price table with its sources."""
    rows = [[p.name, p.source, p.per, f"{p.usd * 1e6:,.6g}"] for p in prices.all()]
    return (
        f"Prices (us-east-1, read {prices.read_on}; `infra/bench/suites/cost/prices.py`):\n\n"
        + markdown_table(["price", "source", "per", "USD per million"], rows, align_right_from=3)
    )


def render_report(results: CostResults) -> str:
    """The whole report."""
    w, t = results.workload, results.template
    mix = ", ".join(f"`{route}` {share:.0%}" for route, share in MIX)
    return (
        f"# make bench-cost: {w.requests} requests a pass, catalog {w.latency_ms:,} ms, "
        f"LAMBDA_CONCURRENCY {w.lambda_concurrency}\n\n"
        f"Machine: {results.run.machine}. Commit {results.run.commit or 'unknown'}, started "
        f"{results.run.started_utc} UTC.\n\n"
        f"Workload (seed {w.seed}): {mix}; Zipf-skewed genres, pages and movies; {w.users} "
        f"users; {w.concurrency} requests in flight. Each mode on a freshly started "
        f"`make run-lambda` stack, all {w.lambda_concurrency} environments started before its "
        f"passes; ApiFunction at {t.api_memory_mb} MB, as the template deploys it.\n\n"
        "## Targets\n\n```text\n"
        + "\n".join(target_line(target) for target in results.targets)
        + "\n```\n\n## Billed per route and for the mix\n\n"
        "Billed duration from the stand-in's REPORT lines, matched to each request by its "
        "`x-request-id`; a request never invoked (throttled) bills nothing to Lambda. Catalog "
        "calls and AWS usage of the mix are counted over the whole measured pass; per route, over "
        f"{w.probe_size} of its requests sent alone after the pass, in the state the pass left.\n\n"
        + "\n".join(_mode_table(m) for m in results.modes)
        + "\n## Dollars by part\n\n"
        + _parts(results.modes)
        + "\n## AWS usage\n\nFrom moto's recording: the API's calls (by its access key) and the "
        "worker's DynamoDB writes. A read by key is billed by the size of the item in the table "
        "(scanned after each count), a query as at most 4 KB; a write by the size of its item, "
        "twice in a transaction; an index write is the old entry removed and the new one put.\n\n"
        + "\n".join(_usage(m) for m in results.modes)
        + "\n"
        + price_table(results.costing.prices)
    )

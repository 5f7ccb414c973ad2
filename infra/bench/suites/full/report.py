"""full.md: targets, the matrix with its baselines, routes without upstream, the Lambda path."""

from infra.bench.harness.report import DASH, fmt, markdown_table, ratio
from infra.bench.harness.runs import RunRecord
from infra.bench.harness.stacks import THREADPOOL
from infra.bench.suites.full.plan import Key, Plan, Step
from infra.bench.suites.full.records import FullResults, MatrixRun
from infra.bench.suites.lambda_path.report import render_lambda_section

MATRIX_HEADERS = [
    "catalog", "c", "route", "n", "time (s)", "req/s", "p50 (ms)", "p95 (ms)", "p99 (ms)",
    "max (ms)", "failed", "non-2xx", "upstream calls", "floor (s)", "time ÷ floor",
    "req/s ÷ /aiohttp-movies",
]  # fmt: skip


def _n_rules(plan: Plan) -> str:
    if plan.mode == "smoke":
        return "Smoke run: n = 4 everywhere.\n\n"
    if plan.mode == "quick":
        sizes = "n = max(2c, 400) at 0 ms, max(c, 100) at 100 ms, 2c at 3 s"
        local = "max(4c, 1000)"
        budget = 20
    else:
        sizes = "n = max(4c, 1000) at 0 ms, max(2c, 200) at 100 ms, 2c at 3 s"
        local = "max(10c, 2000)"
        budget = 200
    return (
        f"Requests per run ({plan.mode} mode): {sizes}; /health and /constant: {local}. A route "
        f"that serves fewer than c at once (`/blocking-movies`: {THREADPOOL} threads; the Lambda "
        f"path: {plan.environments} environments) gets n = c at 3 s (ab needs n ≥ c), or is "
        f"skipped if that would take over {budget} s. The Lambda path's floor counts "
        f"min(c, {plan.environments}) at a time; a deployed function would scale out instead.\n\n"
    )


def _row(step: Step, record: RunRecord | None, baseline: RunRecord | None) -> list[str]:
    head = [f"{step.latency_ms} ms", str(step.c), f"`{step.route.label}`"]
    if record is None:
        return [*head, step.note or "skipped", *[DASH] * (len(MATRIX_HEADERS) - 4)]
    r = record.result
    if r.error:
        return [*head, str(r.n), f"error: {r.error}", *[DASH] * (len(MATRIX_HEADERS) - 5)]
    floor = fmt(record.floor_s, 1) + (
        f" ({record.floor_c} at once)" if record.floor_c != step.c else ""
    )
    vs = DASH
    if step.route.key == "aiohttp":
        vs = "baseline"
    elif baseline is not None:
        vs = fmt(ratio(r.rps, baseline.result.rps), 2)
    return [
        *head, str(r.n), fmt(r.time_s, 2), fmt(r.rps, 1), fmt(r.p50_ms, 0), fmt(r.p95_ms, 0),
        fmt(r.p99_ms, 0), fmt(r.max_ms, 0), str(r.failed), str(r.non_2xx),
        str(record.upstream_calls), floor, fmt(record.floor_ratio, 2), vs,
    ]  # fmt: skip


def matrix_table(matrix: list[MatrixRun], by_key: dict[Key, RunRecord]) -> str:
    """The routes with an upstream, one row per run."""
    rows = [
        _row(m.step, m.record, by_key.get(("aiohttp", m.step.latency_ms, m.step.c)))
        for m in matrix
        if m.step.route.upstream
    ]
    return markdown_table(MATRIX_HEADERS, rows, align_right_from=3)


def local_table(plan: Plan, by_key: dict[Key, RunRecord]) -> str:
    """/health (with the API's middleware) against the bare /constant, per concurrency."""
    first = plan.latencies_ms[0]
    rows = []
    for c in plan.concurrencies:
        health, constant = by_key.get(("health", first, c)), by_key.get(("constant", first, c))
        if health is None or constant is None:
            rows.append([str(c), *[DASH] * 7])
            continue
        h, k = health.result, constant.result
        rows.append([
            str(c), str(h.n), fmt(h.rps, 0), fmt(k.rps, 0), fmt(ratio(h.rps, k.rps), 2),
            f"{fmt(h.p50_ms, 0)} / {fmt(h.p99_ms, 0)}", f"{fmt(k.p50_ms, 0)} / {fmt(k.p99_ms, 0)}",
            str(h.failed + h.non_2xx + k.failed + k.non_2xx),
        ])  # fmt: skip
    headers = [
        "c", "n", "/health req/s", "/constant req/s", "ratio", "/health p50 / p99 (ms)",
        "/constant p50 / p99 (ms)", "failed + non-2xx",
    ]  # fmt: skip
    return markdown_table(headers, rows)


def render_full(results: FullResults, runs_dir: str) -> str:
    """The whole of full.md, from full.json's results."""
    plan, by_key = results.plan, results.by_key()
    header = (
        f"Machine: {results.run.machine}.  \n"
        f"Run {results.run.started_utc} UTC at commit {results.run.commit or 'unknown'}, "
        f"{results.duration_s:.0f} s in all. "
        f"Every API under uvicorn (uvloop, httptools, one process) with caching off "
        f"(CATALOG_CACHE_TTL_S=0) except where target (2) turns it on; the Lambda path runs "
        f"{plan.environments} execution environments at most (LAMBDA_CONCURRENCY; beyond "
        "them a request is throttled, as on Lambda). "
        f"Raw output per run: {runs_dir}/."
    )
    return (
        f"# make bench-full ({plan.mode})\n\n{header}\n\n"
        "## Targets\n\n```text\n" + "\n".join(t.line() for t in results.targets) + "\n```\n\n"
        "## Routes with an upstream\n\n"
        + _n_rules(plan)
        + matrix_table(results.matrix, by_key)
        + "\n"
        "## Routes without an upstream\n\n`/health` through the API's edge middleware (request id, "
        "limits, deadline, headers, the log line), against the bare `/constant` of the baseline "
        "app, back to back.\n\n"
        + local_table(plan, by_key)
        + "\n"
        + render_lambda_section(results.section, plan.cold_runs)
        + "\n## Charts\n\n![Throughput](throughput.png)\n\n![Latency percentiles](latency.png)\n"
    )

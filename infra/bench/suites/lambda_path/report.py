"""The Lambda path's section of full.md."""

from infra.bench.harness.report import fmt, markdown_table
from infra.bench.suites.coldstart.report import render_coldstart
from infra.bench.suites.lambda_path.records import ApiProbe
from infra.bench.suites.lambda_path.section import LambdaSection
from infra.bench.suites.worker.records import WorkerProbe


def _api(api: ApiProbe | str) -> str:
    if isinstance(api, str):
        return f"In-process API handler: {api}.\n\n"
    text = (
        f"Peak RSS (ru_maxrss) after importing `handlers.api`: "
        f"{fmt(api.rss_after_import_mib, 1)} MiB; after {api.invocations} invocations (half "
        f"/health, half /movies): {fmt(api.rss_after_invocations_mib, 1)} MiB.\n\n"
        "Warm invocations: the handler called directly in a loop, v2 events built beforehand, "
        "catalog at 0 ms:\n\n"
    )
    rows = []
    for warm in api.warm:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(warm.statuses.items()))
        rows.append([
            f"`{warm.path}`", str(warm.calls), fmt(warm.median_ms, 3), fmt(warm.p99_ms, 3),
            fmt(warm.max_ms, 3), statuses,
        ])  # fmt: skip
    headers = ["path", "calls", "median (ms)", "p99 (ms)", "max (ms)", "statuses"]
    return text + markdown_table(headers, rows) + "\n"


def _worker(worker: WorkerProbe | str) -> str:
    if isinstance(worker, str):
        return f"Worker handler throughput: {worker}.\n"
    rows = [[
        str(worker.batches), str(worker.records), fmt(worker.records_per_s, 0),
        fmt(worker.median_batch_ms, 1), fmt(worker.p99_batch_ms, 1), str(worker.failed_records),
    ]]  # fmt: skip
    headers = ["batches", "records", "records/s", "batch median (ms)", "batch p99 (ms)", "failed"]
    return (
        "Worker handler, called directly with batches of 10 SQS records (half ratings, half "
        "impressions), DynamoDB on a loopback moto server (the time includes moto's own):\n\n"
        + markdown_table(headers, rows, align_right_from=0)
    )


def render_lambda_section(section: LambdaSection, runs: int) -> str:
    """Cold start as deployed, RSS, warm invocations and the worker, as markdown."""
    return (
        render_coldstart(section.coldstarts, runs)
        + "\n## The Lambda path in the dev venv\n\n"
        + _api(section.api)
        + _worker(section.worker)
    )

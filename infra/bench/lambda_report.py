"""The Lambda path's section of full.md."""

from typing import Any

from infra.bench.coldstart_report import render_coldstart
from infra.bench.lambda_section import LambdaSection
from infra.bench.probe_env import as_float
from infra.bench.report import fmt, markdown_table


def _api(api: dict[str, Any]) -> str:
    if api.get("reason"):
        return f"In-process API handler: {api['reason']}.\n\n"
    after_import = fmt(as_float(api["rss_after_import_mib"]), 1)
    after_calls = fmt(as_float(api["rss_after_invocations_mib"]), 1)
    text = (
        f"Peak RSS (ru_maxrss) after importing `handlers.api`: {after_import} MiB; after "
        f"{api['invocations']} invocations (half /health, half /movies): {after_calls} MiB.\n\n"
        "Warm invocations: the handler called directly in a loop, v2 events built beforehand, "
        "catalog at 0 ms:\n\n"
    )
    rows = []
    for warm in api["warm"]:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(warm["statuses"].items()))
        rows.append([
            f"`{warm['path']}`", str(warm["calls"]), fmt(as_float(warm["median_ms"]), 3),
            fmt(as_float(warm["p99_ms"]), 3), fmt(as_float(warm["max_ms"]), 3), statuses,
        ])  # fmt: skip
    headers = ["path", "calls", "median (ms)", "p99 (ms)", "max (ms)", "statuses"]
    return text + markdown_table(headers, rows) + "\n"


def _worker(worker: dict[str, Any]) -> str:
    if worker.get("reason"):
        return f"Worker handler throughput: {worker['reason']}.\n"
    rows = [[
        str(worker["batches"]), str(worker["records"]),
        fmt(as_float(worker["records_per_s"]), 0), fmt(as_float(worker["median_batch_ms"]), 1),
        fmt(as_float(worker["p99_batch_ms"]), 1), str(worker["failed_records"]),
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

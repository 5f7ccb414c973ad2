"""One caching mode, measured: a fresh `make run-lambda` stack, the passes, the counts, the probes.

The stack is the local one (moto, pollers, issuer, catalog simulator) with the API behind the
Lambda stand-in, whose environments get their own access key so that moto's recording tells
their AWS calls from the pollers' and the bench's. Every environment is started first (one
round of LAMBDA_CONCURRENCY slow reads at once), so that neither mode's pass pays the local
stack's cold starts (seconds each on a busy machine, against Lambda's fraction of one). After
the as-shipped mode's warm-up pass, which also fills its caches, the measured pass runs with
the catalog's counter reset and moto recording; once the worker has drained the queue, each
route is counted alone (probe_size of its planned requests, in the same state), then, for the
as-shipped mode, targets 2-4's probes run. The REPORT lines are read after the stack stops,
from the stand-in's output file.
"""

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from infra.bench.harness.aws_calls import (
    AwsCall,
    MotoRecorder,
    distinct_values,
    item_sizes,
    scan_items,
    usage,
)
from infra.bench.harness.catalog_control import CatalogControl
from infra.bench.harness.lambda_reports import read_reports
from infra.bench.suites.cost.costs import Costing
from infra.bench.suites.cost.drive import Headers, bearer_headers, send_plan
from infra.bench.suites.cost.figures import MIX, Counted, route_figures
from infra.bench.suites.cost.modes import Mode
from infra.bench.suites.cost.probes import (
    PROBE_USERS,
    repeat_probe,
    shared_pages_probe,
    throttle_probe,
)
from infra.bench.suites.cost.records import ModeResults, Probes, Workload
from infra.bench.suites.cost.template_figures import TemplateFigures
from infra.bench.suites.cost.workload import MIX as ROUTES
from infra.bench.suites.cost.workload import Planned, user_names
from infra.local.aws_env import client
from infra.local.stack import Endpoints, running_stack
from infra.soak.soak_check import wait_drained

# The access key the API's environments sign with: moto's recording names the caller by it.
API_KEY = "bench-api-function"
DRAIN_TIMEOUT_S = 120.0
# Pages past the catalog's end: each one catalog call, never asked for again (the probes use
# others).
WARM_OFFSET = 80_000


def _billable(calls: Sequence[AwsCall]) -> list[AwsCall]:
    """The API's calls, and the worker's DynamoDB writes; not the pollers' SQS polling (Lambda's
    event source mapping polls differently; costs.py prices it per batch) nor the bench's."""
    return [c for c in calls if c.caller == API_KEY or c.service == "dynamodb"]


class _Counter:
    """Counts catalog calls and AWS usage over whatever is sent between start() and done()."""

    def __init__(self, stack: Endpoints, template: TemplateFigures) -> None:
        self.stack = stack
        self.catalog = CatalogControl(stack.catalog_url)
        self.recorder = MotoRecorder(stack.aws_url)
        self.sqs = client("sqs", stack.aws_url)
        self.dynamodb = client("dynamodb", stack.aws_url)
        self.template = template

    def start(self) -> None:
        self.catalog.reset()
        self.recorder.restart()

    def drain(self) -> None:
        """Wait until the worker has stored what was queued."""
        wait_drained(self.sqs, self.stack.resources, DRAIN_TIMEOUT_S)

    def done(self, requests: int) -> Counted:
        # The worker's writes belong to the requests that queued them: wait for them first.
        self.drain()
        calls = _billable(self.recorder.calls())  # before the scan, which it would count
        sizes = item_sizes(self._items(), self.template.table_keys)
        used = usage(calls, frozenset(self.template.index_keys), sizes)
        return Counted(requests, self.catalog.calls(), used)

    def _items(self) -> list[dict[str, Any]]:
        return scan_items(self.dynamodb, self.stack.resources.table_name)

    def index_partitions(self) -> int:
        """The distinct partition keys the table's index holds now (the trending counters')."""
        key = self.template.index_partition_key
        return distinct_values(self._items(), key) if key else 0


def _by_route(
    stack: Endpoints,
    counter: _Counter,
    plan: Sequence[Planned],
    size: int,
    auth: dict[str, Headers],
) -> dict[str, Counted]:
    counted = {}
    for route, _ in ROUTES:
        requests = [p for p in plan if p.route == route][:size]
        counter.start()
        send_plan(stack.api_url, requests, max(1, len(requests)), auth)
        counted[route] = counter.done(len(requests))
    return counted


def _probes(stack: Endpoints, workload: Workload, auth: dict[str, Headers]) -> Probes:
    catalog = CatalogControl(stack.catalog_url)
    return Probes(
        repeat_probe(stack.api_url, catalog),
        shared_pages_probe(stack.api_url, catalog, auth),
        throttle_probe(stack.api_url, catalog, workload.lambda_concurrency, workload.latency_ms),
    )


def _start_environments(stack: Endpoints, count: int) -> None:
    """`count` reads at once, each one catalog call long: every environment is started."""
    reads = [
        Planned("warm-up", "GET", f"/movies?limit=1&offset={WARM_OFFSET + n}") for n in range(count)
    ]
    send_plan(stack.api_url, reads, count)


def slug(name: str) -> str:
    """A mode's name as a folder name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def measure_mode(
    mode: Mode,
    workload: Workload,
    plan: Sequence[Planned],
    costing: Costing,
    template: TemplateFigures,
    log_dir: Path,
    probes: bool,
) -> tuple[ModeResults, Probes | None]:
    """Run `mode` on a fresh stack; its figures, and targets 2-4's probes if `probes`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    api_env = {
        **mode.env,
        "LAMBDA_CONCURRENCY": str(workload.lambda_concurrency),
        "AWS_ACCESS_KEY_ID": API_KEY,
        "LOG_FILE": str(log_dir / "request.log"),
    }
    moto_env = {"MOTO_RECORDER_FILEPATH": str(log_dir / "moto-recording.jsonl")}
    found: Probes | None = None
    with running_stack(
        "lambda",
        latency_ms=workload.latency_ms,
        api_env=api_env,
        moto_env=moto_env,
        log_dir=log_dir,
    ) as stack:
        auth = bearer_headers(stack.issuer_url, [*user_names(workload.users), *PROBE_USERS])
        counter = _Counter(stack, template)
        c = workload.concurrency
        _start_environments(stack, workload.lambda_concurrency)
        if mode.warm_up:
            send_plan(stack.api_url, plan, c, auth)
            counter.drain()
        counter.start()
        started = time.perf_counter()
        sent = send_plan(stack.api_url, plan, c, auth)
        pass_s = time.perf_counter() - started
        mix_counted = counter.done(len(plan))
        route_counted = _by_route(stack, counter, plan, workload.probe_size, auth)
        if probes:
            found = _probes(stack, workload, auth)
        counter.drain()  # the probes' impressions too: the more counters, the truer the count
        partitions = counter.index_partitions()
    reports = read_reports(log_dir / "lambda.out")

    routes = [
        route_figures(route, [s for s in sent if s.route == route], reports, counted, costing)
        for route, counted in route_counted.items()
    ]
    mix = route_figures(MIX, sent, reports, mix_counted, costing)
    started_envs = sum(1 for r in reports.values() if r.cold)
    results = ModeResults(
        mode.name, mode.env, mode.warm_up, pass_s, started_envs, routes, mix, partitions
    )
    return results, found

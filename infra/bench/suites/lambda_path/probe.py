"""Child process: import the API handler, serve invocations in-process, report RSS and latency.

`python -m infra.bench.suites.lambda_path.probe --out result.json` with functions/ on PYTHONPATH
(infra.bench.harness.children.probe_env). The handler is called directly in a loop, as a warm
Lambda runtime does.
"""

import argparse
import importlib
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from infra.bench.harness.results import percentile
from infra.bench.harness.results_json import dump
from infra.bench.suites.lambda_path.records import ApiProbe, WarmCalls
from infra.gateway.events import HttpRequest, to_event
from infra.local.lambda_runtime import LocalContext

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS, where this is only indicative).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _events(path: str, count: int) -> list[dict[str, Any]]:
    return [to_event(HttpRequest("GET", path), "v2") for _ in range(count)]


def _timed_calls(handler: Handler, path: str, calls: int, budget_s: float) -> WarmCalls:
    """Call the handler `calls` times (or until `budget_s` runs out); events built beforehand."""
    events = _events(path, calls)
    contexts = [LocalContext() for _ in range(calls)]
    times_ms: list[float] = []
    statuses: dict[str, int] = {}
    deadline = time.perf_counter() + budget_s
    for event, context in zip(events, contexts, strict=True):
        start = time.perf_counter()
        result = handler(event, context)
        times_ms.append((time.perf_counter() - start) * 1000)
        status = str(result.get("statusCode"))
        statuses[status] = statuses.get(status, 0) + 1
        if time.perf_counter() > deadline:
            break
    ordered = sorted(times_ms)
    return WarmCalls(
        path=path,
        calls=len(times_ms),
        median_ms=statistics.median(ordered),
        p99_ms=percentile(ordered, 99),
        max_ms=ordered[-1],
        statuses=statuses,
    )


def probe(rss_invocations: int, calls: int, budget_s: float) -> ApiProbe:
    """Import, serve `rss_invocations` (half /health, half /movies), then time warm calls."""
    start = time.perf_counter()
    module = importlib.import_module("handlers.api")
    import_s = time.perf_counter() - start
    rss_import = _peak_rss_mib()
    handler: Handler = module.handler
    served = 0
    for event in _events("/health", rss_invocations // 2) + _events(
        "/movies", rss_invocations - rss_invocations // 2
    ):
        handler(event, LocalContext())
        served += 1
    rss_served = _peak_rss_mib()
    return ApiProbe(
        import_s=import_s,
        rss_after_import_mib=rss_import,
        rss_after_invocations_mib=rss_served,
        invocations=served,
        warm=[_timed_calls(handler, path, calls, budget_s) for path in ("/health", "/movies")],
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the probe and write its ApiProbe as JSON to --out."""
    parser = argparse.ArgumentParser(prog="python -m infra.bench.suites.lambda_path.probe")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rss-invocations", type=int, default=100)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--budget-s", type=float, default=60.0)
    args = parser.parse_args(argv)
    result = probe(args.rss_invocations, args.calls, args.budget_s)
    args.out.write_text(dump(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Child process: the worker handler's throughput on batches of 10 SQS records, DynamoDB on moto.

`python -m infra.bench.suites.worker.probe --out result.json`. moto is the local stack's
(infra.local.stack.running_aws), its server a child process on loopback: read the result as
handler + local moto cost per record. A failure exits non-zero with the error on stderr, which
the parent reports.
"""

import argparse
import importlib
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from infra.bench.harness.results import percentile
from infra.bench.harness.results_json import dump
from infra.bench.suites.worker.batches import BATCH, batch_event
from infra.bench.suites.worker.records import WorkerProbe
from infra.local.lambda_runtime import LocalContext
from infra.local.stack import running_aws

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def _with_moto(batches: int, budget_s: float) -> WorkerProbe:
    with running_aws() as aws:
        os.environ.update(aws.env())
        module = importlib.import_module("handlers.worker")
        return _measure(module.handler, batches, budget_s)


def _measure(handler: Handler, batches: int, budget_s: float) -> WorkerProbe:
    events = [batch_event(i) for i in range(batches)]
    handler(batch_event(-1), LocalContext())  # the first call opens the connections
    times_ms: list[float] = []
    failed = 0
    deadline = time.perf_counter() + budget_s
    for event in events:
        start = time.perf_counter()
        response = handler(event, LocalContext())
        times_ms.append((time.perf_counter() - start) * 1000)
        failed += len(response.get("batchItemFailures", []))
        if time.perf_counter() > deadline:
            break
    ordered = sorted(times_ms)
    return WorkerProbe(
        batches=len(times_ms),
        records=len(times_ms) * BATCH,
        failed_records=failed,
        records_per_s=len(times_ms) * BATCH / (sum(times_ms) / 1000),
        median_batch_ms=statistics.median(ordered),
        p99_batch_ms=percentile(ordered, 99),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the probe; write its WorkerProbe as JSON to --out."""
    parser = argparse.ArgumentParser(prog="python -m infra.bench.suites.worker.probe")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--budget-s", type=float, default=60.0)
    args = parser.parse_args(argv)
    args.out.write_text(dump(_with_moto(args.batches, args.budget_s)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

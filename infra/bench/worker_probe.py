"""Child process: the worker handler's throughput on batches of 10 SQS records, DynamoDB on moto.

`python -m infra.bench.worker_probe --out result.json`. moto runs in this process as a server on
loopback (infra.bench.lambda_worker): read the result as handler + local moto cost per record.
handlers.worker is imported lazily; if it is missing the result says so.
"""

import argparse
import importlib
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from infra.bench.lambda_worker import BATCH, batch_event, moto_stack
from infra.bench.results import percentile
from infra.local.lambda_runtime import LocalContext


def _with_moto(batches: int, budget_s: float) -> dict[str, Any]:
    with moto_stack() as stack:
        os.environ.update(stack.env())
        try:
            module = importlib.import_module("handlers.worker")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("handlers"):
                return {"reason": "not available yet"}
            raise
        return _measure(module.handler, batches, budget_s)


def _measure(handler: Any, batches: int, budget_s: float) -> dict[str, Any]:
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
    return {
        "reason": "",
        "batches": len(times_ms),
        "records": len(times_ms) * BATCH,
        "failed_records": failed,
        "records_per_s": len(times_ms) * BATCH / (sum(times_ms) / 1000),
        "median_batch_ms": statistics.median(ordered),
        "p99_batch_ms": percentile(ordered, 99),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the probe; write its JSON (or why it could not run) to --out."""
    parser = argparse.ArgumentParser(prog="python -m infra.bench.worker_probe")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--budget-s", type=float, default=60.0)
    args = parser.parse_args(argv)
    try:
        result = _with_moto(args.batches, args.budget_s)
    except ImportError as exc:
        result = {"reason": f"not available: {exc}"}
    except Exception as exc:  # report anything else, rather than lose the rest of the bench
        result = {"reason": f"failed: {type(exc).__name__}: {exc}"}
    args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

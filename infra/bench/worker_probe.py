"""Child process: the worker handler's throughput on batches of 10 SQS records, DynamoDB on moto.

`python -m infra.bench.worker_probe --out result.json`. moto runs in this process as a server on
loopback, so the handler's boto3 calls cross real HTTP, as they would to DynamoDB (but faster
than AWS and slower than nothing: read the result as handler + local moto cost per record).
handlers.worker is imported lazily; if it is missing the result says so.
"""

import argparse
import hashlib
import importlib
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infra.bench.results import percentile
from infra.local.lambda_events import LocalContext, sqs_event
from infra.local.processes import HOST, free_port

if TYPE_CHECKING:
    from mypy_boto3_sqs.type_defs import MessageTypeDef

BATCH = 10


def _message(body: str) -> "MessageTypeDef":
    """A message as ReceiveMessage returns it, received once, with a correlation id."""
    return {
        "MessageId": str(uuid.uuid4()),
        "ReceiptHandle": uuid.uuid4().hex,
        "Body": body,
        "Attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": str(int(time.time()))},
        "MessageAttributes": {
            "correlation_id": {"StringValue": uuid.uuid4().hex, "DataType": "String"}
        },
        "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 (SQS's checksum)
    }


def _batch(index: int, queue_arn: str) -> dict[str, Any]:
    """Half ratings, half recommendation impressions, each with a fresh event id."""
    from movies.domain.messages import RatingSubmitted, RecommendationsServed, encode

    user = f"bench-{index}"
    bodies = [
        encode(RatingSubmitted(user_id=user, movie_id=1 + i, stars=4.0))
        if i % 2 == 0
        else encode(RecommendationsServed(user_id=user, movie_ids=[1, 2, 3], duration_ms=1.0))
        for i in range(BATCH)
    ]
    return sqs_event([_message(body) for body in bodies], queue_arn)


def _with_moto(batches: int, budget_s: float) -> dict[str, Any]:
    from moto.server import ThreadedMotoServer

    from infra.local.aws_env import client, local_env
    from infra.local.local_aws import create_resources, queue_arn

    port = free_port()
    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    server.start()
    try:
        url = f"http://{HOST}:{port}"
        os.environ.update(local_env(url))
        sqs = client("sqs", url)
        resources = create_resources(sqs, client("dynamodb", url))
        os.environ.update(TABLE_NAME=resources.table_name, QUEUE_URL=resources.queue_url)
        try:
            module = importlib.import_module("handlers.worker")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("handlers"):
                return {"reason": "not available yet"}
            raise
        return _measure(module.handler, queue_arn(sqs, resources.queue_url), batches, budget_s)
    finally:
        server.stop()


def _measure(handler: Any, queue_arn: str, batches: int, budget_s: float) -> dict[str, Any]:
    events = [_batch(i, queue_arn) for i in range(batches)]
    handler(_batch(-1, queue_arn), LocalContext())  # the first call builds clients' connections
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

"""What each handler is invoked with after its cold start, run by run, and what it needs to answer.

The API: the sample events, with the catalog on a closed port (its first /movies is a quick 502).
The worker: a batch of ten fresh messages, written to DynamoDB on moto in server mode on
loopback (infra.bench.lambda_worker), reached through AWS_ENDPOINT_URL as the table would be.
"""

import copy
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra.bench.lambda_worker import BATCH, moto_stack
from infra.local.lambda_events import EVENTS

SQS_SAMPLES = (EVENTS / "sqs" / "rating.json", EVENTS / "sqs" / "recommendations-served.json")


@dataclass(frozen=True)
class Invocations:
    """One handler's invocations after its init: their names, and each run's event files."""

    names: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)  # what the handler needs to reach them
    events: Callable[[int], list[Path]] = lambda _run: []


Setup = Callable[[], AbstractContextManager[Invocations]]


@contextmanager
def no_invocations() -> Iterator[Invocations]:
    """Init only."""
    yield Invocations()


def sample_events(*paths: Path) -> Setup:
    """The same event files in every run, named by their stems."""

    @contextmanager
    def setup() -> Iterator[Invocations]:
        yield Invocations(tuple(path.stem for path in paths), {}, lambda _run: list(paths))

    return setup


def sqs_batch(size: int = BATCH) -> dict[str, Any]:
    """`size` records alternating the two SQS samples, each with its own message id and event id
    (and movie, for ratings): every record is applied, none is a duplicate of an earlier run's."""
    samples = [json.loads(path.read_text())["Records"][0] for path in SQS_SAMPLES]
    records = []
    for index in range(size):
        record = copy.deepcopy(samples[index % len(samples)])
        body = json.loads(record["body"])
        body["event_id"] = str(uuid.uuid4())
        if "movie_id" in body:
            body["movie_id"] = 1 + index
        record.update(messageId=str(uuid.uuid4()), body=json.dumps(body))
        records.append(record)
    return {"Records": records}


@contextmanager
def worker_batches() -> Iterator[Invocations]:
    """A fresh batch each run, against the template's table on a moto server."""
    with moto_stack() as stack, tempfile.TemporaryDirectory(prefix="coldstart-sqs-") as tmp:

        def events(run: int) -> list[Path]:
            path = Path(tmp) / f"batch-{run}.json"
            path.write_text(json.dumps(sqs_batch()))
            return [path]

        yield Invocations((f"batch of {BATCH}",), stack.env(), events)

"""What each handler is invoked with after its cold start, run by run, and what it needs to answer.

The API: the sample events, with the catalog on a closed port (its first /movies is a quick 502).
The worker: a batch of ten fresh messages (infra.bench.suites.worker.batches), written to
DynamoDB on the local stack's moto server on loopback (infra.local.stack.running_aws), reached
through AWS_ENDPOINT_URL as the table would be.
"""

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from infra.bench.suites.worker.batches import BATCH, batch_event
from infra.local.stack import running_aws


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


@contextmanager
def worker_batches() -> Iterator[Invocations]:
    """A fresh batch each run, against the template's table on a moto server."""
    with running_aws() as aws, tempfile.TemporaryDirectory(prefix="coldstart-sqs-") as tmp:

        def events(run: int) -> list[Path]:
            path = Path(tmp) / f"batch-{run}.json"
            path.write_text(json.dumps(batch_event(run)))
            return [path]

        yield Invocations((f"batch of {BATCH}",), aws.env(), events)

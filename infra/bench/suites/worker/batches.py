"""What the worker is run against off AWS: DynamoDB and SQS on moto's server on loopback (the dev
environment's moto, as infra/local runs it), and batches of fresh messages.

The handler's boto3 calls cross real HTTP to moto, as they would to DynamoDB: faster than AWS
and slower than nothing, so read a batch's time as the handler's plus local moto's.
"""

import copy
import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from infra.local.aws_env import client, local_env
from infra.local.lambda_runtime import EVENTS
from infra.local.processes import HOST, free_port
from infra.local.resources import Resources, create_resources

BATCH = 10


@dataclass(frozen=True)
class MotoStack:
    """The template's queues and table on a moto server."""

    url: str
    resources: Resources

    def env(self) -> dict[str, str]:
        """What a worker process needs to use them (endpoint, credentials, names)."""
        return {
            **local_env(self.url),
            "TABLE_NAME": self.resources.table_name,
            "QUEUE_URL": self.resources.queue_url,
        }


@contextmanager
def moto_stack() -> Iterator[MotoStack]:
    """A moto server on a free loopback port with the template's resources; stopped on exit.

    moto keeps its state per process, not per server: this one starts from a reset, whatever an
    earlier stack in this process left."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    server.start()
    try:
        url = f"http://{HOST}:{port}"
        httpx.post(f"{url}/moto-api/reset", timeout=10).raise_for_status()
        sqs = client("sqs", url)
        resources = create_resources(sqs, client("dynamodb", url))
        yield MotoStack(url, resources)
    finally:
        server.stop()


SQS_SAMPLES = (EVENTS / "sqs" / "rating.json", EVENTS / "sqs" / "recommendations-served.json")


def batch_event(index: int) -> dict[str, Any]:
    """BATCH records alternating the two published SQS samples, for user `bench-<index>`, each
    with its own message id and event id (and movie, for ratings): every record is applied, none
    is a duplicate of another batch's. Built from the sample files, not the message models, so
    that a driver without functions/ on its path (bench-coldstart) can make it too."""
    samples = [json.loads(path.read_text())["Records"][0] for path in SQS_SAMPLES]
    records = []
    for i in range(BATCH):
        record = copy.deepcopy(samples[i % len(samples)])
        body = json.loads(record["body"])
        body.update(event_id=str(uuid.uuid4()), user_id=f"bench-{index}")
        if "movie_id" in body:
            body["movie_id"] = 1 + i
        else:  # movies of their own: a user counts once per movie a day, and each must count
            body["movie_ids"] = [1000 * i + movie_id for movie_id in body["movie_ids"]]
        record.update(messageId=str(uuid.uuid4()), body=json.dumps(body))
        records.append(record)
    return {"Records": records}

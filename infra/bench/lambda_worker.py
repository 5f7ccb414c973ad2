"""What the worker is run against off AWS: DynamoDB and SQS on moto's server on loopback (the dev
environment's moto, as infra/local runs it), and batches of fresh messages.

The handler's boto3 calls cross real HTTP to moto, as they would to DynamoDB: faster than AWS
and slower than nothing, so read a batch's time as the handler's plus local moto's.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from infra.local.aws_env import client, local_env
from infra.local.lambda_events import sqs_event
from infra.local.local_aws import Resources, create_resources, queue_arn
from infra.local.processes import HOST, free_port

if TYPE_CHECKING:
    from mypy_boto3_sqs.type_defs import MessageTypeDef

BATCH = 10


@dataclass(frozen=True)
class MotoStack:
    """The template's queues and table on a moto server."""

    url: str
    resources: Resources
    queue_arn: str

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
        yield MotoStack(url, resources, queue_arn(sqs, resources.queue_url))
    finally:
        server.stop()


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


def batch_event(index: int, queue_arn: str) -> dict[str, Any]:
    """BATCH records, half ratings, half recommendation impressions, each a fresh event id."""
    from movies.domain.messages import RatingSubmitted, RecommendationsServed, encode

    user = f"bench-{index}"
    bodies = [
        encode(RatingSubmitted(user_id=user, movie_id=1 + i, stars=4.0))
        if i % 2 == 0
        else encode(RecommendationsServed(user_id=user, movie_ids=[1, 2, 3], duration_ms=1.0))
        for i in range(BATCH)
    ]
    return sqs_event([_message(body) for body in bodies], queue_arn)

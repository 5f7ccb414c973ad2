"""What the worker is run against off AWS: batches of fresh messages, for DynamoDB and SQS on the
local stack's moto (infra.local.stack.running_aws: its server in a child process on loopback).

The handler's boto3 calls cross real HTTP to moto, as they would to DynamoDB: faster than AWS
and slower than nothing, so read a batch's time as the handler's plus local moto's.
"""

import copy
import json
import uuid
from typing import Any

from infra.local.lambda_runtime import EVENTS

BATCH = 10
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

"""Against the running stack: ratings under load, with worker faults, are stored exactly once."""

import asyncio
import time
from typing import Any

import httpx
import pytest

from infra.soak.soak_check import clients, queue_depth
from tests.e2e.conftest import EXTERNAL, Stack

RATINGS = 1000
CLIENTS = 50
DRAIN_TIMEOUT_S = 120


def stored_ratings(dynamodb: Any, table: str, run: str) -> dict[tuple[str, str], str]:
    """(user, movie) -> event_id of every rating item this run stored."""
    paginator = dynamodb.get_paginator("scan")
    items = [
        item
        for page in paginator.paginate(
            TableName=table,
            FilterExpression="begins_with(pk, :p)",
            ExpressionAttributeValues={":p": {"S": f"USER#{run}"}},
        )
        for item in page["Items"]
    ]
    assert len(items) == len({(i["pk"]["S"], i["sk"]["S"]) for i in items})
    return {(i["pk"]["S"], i["sk"]["S"]): i["event_id"]["S"] for i in items}


@pytest.mark.skipif(EXTERNAL is not None, reason="reads the local queues and table directly")
async def test_a_thousand_ratings_with_worker_faults_are_stored_exactly_once(
    uvicorn_stack: Stack,
) -> None:
    stack = uvicorn_stack
    assert stack.local is not None
    run = f"load{int(time.time() * 1000)}-"
    jobs = [(f"{run}{i % 100}", i // 100 + 1, 0.5 + (i % 10) * 0.5) for i in range(RATINGS)]
    accepted: dict[tuple[str, str], str] = {}
    pending = list(jobs)

    async def client(api: httpx.AsyncClient) -> None:
        while pending:
            user, movie, stars = pending.pop()
            response = await api.post(
                "/me/ratings", json={"movie_id": movie, "stars": stars}, headers=stack.auth(user)
            )
            assert response.status_code == 202, response.text
            accepted[(f"USER#{user}", f"MOVIE#{movie}")] = response.json()["event_id"]

    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=stack.api_url, timeout=30, limits=limits) as api:
        await asyncio.wait_for(asyncio.gather(*(client(api) for _ in range(CLIENTS))), timeout=120)
    assert len(accepted) == RATINGS

    sqs, dynamodb = clients(stack.local.aws_url)
    resources = stack.local.resources
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while time.monotonic() < deadline:
        stored = stored_ratings(dynamodb, resources.table_name, run)
        if len(stored) == RATINGS and queue_depth(sqs, resources.queue_url) == 0:
            break
        await asyncio.sleep(1)
    assert stored == accepted  # every 202 stored, once, with its own event id
    assert queue_depth(sqs, resources.queue_url) == 0
    assert queue_depth(sqs, resources.dlq_url) == 0

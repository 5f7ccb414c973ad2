"""Send planned requests at a fixed concurrency; keep per request what its bill is matched on."""

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp

from infra.bench.suites.cost.workload import Planned
from infra.issuer.app import request_token

Headers = dict[str, str]
REQUEST_TIMEOUT_S = 30.0  # above the API's own 15 s deadline: its 504 arrives first


@dataclass(frozen=True)
class Sent:
    """One answered (or failed) request."""

    route: str
    status: int  # 0: no answer at all
    latency_ms: float
    request_id: str | None  # x-request-id, the id of the invocation's REPORT line; None if the
    # function never ran (a throttle, an authorizer's 401)


def bearer_headers(issuer_url: str, users: Sequence[str]) -> dict[str, Headers]:
    """Each user's Authorization header, from the stack's own issuer, as a client gets it."""
    return {user: {"authorization": f"Bearer {request_token(issuer_url, user)}"} for user in users}


async def _send(session: aiohttp.ClientSession, planned: Planned, auth: dict[str, Headers]) -> Sent:
    headers = auth[planned.user] if planned.user else {}
    started = time.perf_counter()
    try:
        async with session.request(
            planned.method, planned.path, json=planned.body, headers=headers
        ) as response:
            await response.read()
            status, request_id = response.status, response.headers.get("x-request-id")
    except (aiohttp.ClientError, TimeoutError):
        status, request_id = 0, None
    return Sent(planned.route, status, (time.perf_counter() - started) * 1000, request_id)


async def _send_all(
    base_url: str, plan: Sequence[Planned], concurrency: int, auth: dict[str, Headers]
) -> list[Sent]:
    sent: list[Sent | None] = [None] * len(plan)
    pending = list(range(len(plan)))[::-1]
    # aiohttp, not httpx: the client shares the stack's two cores (see suites/ratings.py).
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(base_url, connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            while pending:
                n = pending.pop()
                sent[n] = await _send(session, plan[n], auth)

        await asyncio.gather(*(worker() for _ in range(min(concurrency, len(plan)))))
    return [s for s in sent if s is not None]


def send_plan(
    base_url: str,
    plan: Sequence[Planned],
    concurrency: int,
    auth: dict[str, Headers] | None = None,
) -> list[Sent]:
    """Send `plan` in order, `concurrency` requests in flight; each request's outcome, in order."""
    return asyncio.run(_send_all(base_url, plan, concurrency, auth or {}))

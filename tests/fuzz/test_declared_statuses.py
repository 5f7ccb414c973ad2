"""Every status an operation can answer is declared for it in the OpenAPI spec.

Fuzzing finds undeclared statuses only where its generated requests reach them; the guard's
limits (414, 413, 415) and the deadline's 504 on routes without a catalog call are reached by
no generated case. Here each operation is driven into each error it can return, on purpose,
and all that are undeclared are reported at once.
"""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from movies.domain.idempotency import Conflict
from tests.fuzz.apps import (
    MAX_BODY_BYTES,
    MAX_QUERY_BYTES,
    DownKeys,
    DownStore,
    HangingQueue,
    HangingStore,
    HeldKeys,
    build,
    client,
)

VALID_BODY = {"movie_id": 1, "stars": 4.5}

# Each scenario: the app broken one way. Every operation answers something in each.
SCENARIOS: dict[str, dict[str, Any]] = {
    "healthy": {},
    "catalog 5xx": {"catalog_fault": "5xx"},
    "catalog timeout": {"catalog_fault": "timeout"},
    "catalog pool exhausted": {"catalog_fault": "pool"},
    "queue down": {"queue_down": True},
    "store down": {"store": DownStore()},
}


# An Idempotency-Key that another request holds, has used, or that cannot be checked.
KEYS = {
    "key in flight": HeldKeys(Conflict.IN_FLIGHT),
    "key reused": HeldKeys(Conflict.REUSED),
    "keys down": DownKeys(),
}


def operations(app: FastAPI) -> list[tuple[str, str, set[int]]]:
    """(method, concrete path, declared statuses) of every operation in the app's spec."""
    ops = []
    for template, methods in app.openapi()["paths"].items():
        path = template.replace("{user_id}", "alice").replace("{movie_id}", "1")
        for method, op in methods.items():
            ops.append((method.upper(), path, {int(code) for code in op["responses"]}))
    return ops


async def _send(api: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    if method == "POST":
        kwargs.setdefault("json", VALID_BODY)
    return await api.request(method, path, **kwargs)


async def _undeclared(app: FastAPI, scenario: str, **kwargs: Any) -> list[str]:
    found = []
    async with client(app) as api:
        for method, path, declared in operations(app):
            if kwargs.get("only_post") and method != "POST":
                continue
            request = {k: v for k, v in kwargs.items() if k != "only_post"}
            status = (await _send(api, method, path, **request)).status_code
            if status not in declared:
                found.append(f"{method} {path}: {status} ({scenario}); declared {sorted(declared)}")
    return found


async def test_every_status_a_route_can_return_is_declared() -> None:
    undeclared: list[str] = []
    for name, fault in SCENARIOS.items():
        undeclared += await _undeclared(build(**fault).app, name)
    # Everything behind the app hangs: the deadline answers 504 (not /health: it waits on nothing).
    hanging = build(
        catalog_fault="hang",
        hang_s=5.0,
        store=HangingStore(5.0),
        queue=HangingQueue(5.0),
        deadline_s=0.1,
    )
    undeclared += [
        line
        for line in await _undeclared(hanging.app, "deadline")
        if not line.startswith("GET /health:")
    ]
    app = build().app
    long_query = {"params": {"pad": "x" * MAX_QUERY_BYTES}}
    undeclared += await _undeclared(app, "query over 4096 bytes", **long_query)
    big = b'{"movie_id": 1, "stars": 4.5, "pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    json_type = {"content-type": "application/json"}
    undeclared += await _undeclared(
        app, "body over 1 MiB", only_post=True, content=big, headers=json_type
    )
    for name, keys in KEYS.items():
        keyed = {"headers": {"Idempotency-Key": '"k-1"'}}
        undeclared += await _undeclared(build(keys=keys).app, name, only_post=True, **keyed)
    undeclared += await _undeclared(
        app,
        "text/plain body",
        only_post=True,
        content=b'{"movie_id": 1, "stars": 4.5}',
        headers={"content-type": "text/plain"},
    )
    assert not undeclared, "undeclared statuses:\n" + "\n".join(undeclared)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_no_scenario_answers_500(scenario: str) -> None:
    app = build(**SCENARIOS[scenario]).app
    async with client(app) as api:
        for method, path, _ in operations(app):
            response = await _send(api, method, path)
            assert response.status_code != 500, (scenario, method, path, response.text)

"""The Lambda stand-in's environments: REPORT lines, cold starts on demand, throttling, crashes,
and the template's configuration, driven with real API Gateway events (no timing asserted)."""

import asyncio
import dataclasses
import math
import os
import re
import select
import signal
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from infra.gateway.environments import EnvironmentPool, InvocationFailed, Throttled
from infra.gateway.events import HttpRequest, to_event
from infra.gateway.function_config import FunctionConfig, function_config
from infra.gateway.lambda_server import LambdaServer
from infra.local.processes import HOST
from infra.local.sam_local_env import declared
from infra.local.template import load_template

REPORT = re.compile(
    r"^REPORT RequestId: (?P<id>[0-9a-f-]{36})\t"
    r"Duration: (?P<duration>\d+\.\d{2}) ms\t"
    r"Billed Duration: (?P<billed>\d+) ms\t"
    r"Memory Size: (?P<memory>\d+) MB\t"
    r"Max Memory Used: (?P<used>\d+) MB"
    r"(?:\tInit Duration: (?P<init>\d+\.\d{2}) ms)?$"
)
ENV_HANDLER = "tests.support.env_handler.handler"
INTERNAL_ERROR = {"message": "Internal Server Error"}


class HeldCatalog:
    """A catalog that holds every request until released: an environment stays busy, no sleep."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        held = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                held.arrived.set()
                held.release.wait(60)
                self.send_response(503)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.url = f"http://{HOST}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    async def wait_arrived(self) -> None:
        """Until a request reaches the catalog: its environment is busy from then on."""
        assert await asyncio.to_thread(self.arrived.wait, 60)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def reports(out: str) -> list[re.Match[str]]:
    """Every REPORT line in `out`, each checked against Lambda's format."""
    lines = [line for line in out.splitlines() if line.startswith("REPORT")]
    matches = [REPORT.match(line) for line in lines]
    assert all(matches), lines
    return [m for m in matches if m is not None]


def kill_and_wait(pid: int) -> None:
    """SIGKILL `pid` and wait until it has exited (its pidfd turns readable), without reaping it."""
    pidfd = os.pidfd_open(pid)
    try:
        os.kill(pid, signal.SIGKILL)
        assert select.select([pidfd], [], [], 60)[0]
    finally:
        os.close(pidfd)


def health() -> dict[str, Any]:
    return to_event(HttpRequest("GET", "/health"), "v2")


def template_memory_mb() -> int:
    template = load_template()
    globals_ = template.get("Globals", {}).get("Function", {})
    own = template["Resources"]["ApiFunction"]["Properties"]
    return int({**globals_, **own}["MemorySize"])


@pytest.fixture
def catalog() -> Iterator[HeldCatalog]:
    held = HeldCatalog()
    yield held
    held.close()


@pytest.fixture
def config(catalog: HeldCatalog) -> FunctionConfig:
    return function_config({**os.environ, "CATALOG_URL": catalog.url})


@pytest.fixture
def pool(config: FunctionConfig) -> Iterator[EnvironmentPool]:
    environments = EnvironmentPool(config, 2)
    yield environments
    environments.close()


@pytest.fixture
async def server(
    catalog: HeldCatalog, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[LambdaServer, httpx.AsyncClient]]:
    monkeypatch.setenv("CATALOG_URL", catalog.url)
    monkeypatch.setenv("ISSUER_URL", f"{catalog.url}/issuer")  # public routes only: never asked
    app = LambdaServer(concurrency=1)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        yield app, client
    await asyncio.to_thread(app.pool.close)


async def test_report_lines_as_lambda_prints_them(
    pool: EnvironmentPool, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = health(), health()
    assert (await pool.invoke(first))["statusCode"] == 200
    assert (await pool.invoke(second))["statusCode"] == 200
    cold, warm = reports(capsys.readouterr().out)
    assert len(pool.pids()) == 1  # the second invocation found the first environment warm
    assert cold["id"] == first["requestContext"]["requestId"]
    assert warm["id"] == second["requestContext"]["requestId"]
    assert cold["init"] is not None
    assert float(cold["init"]) > 0
    assert warm["init"] is None
    # Billed: rounded up to the millisecond; a cold start bills INIT too (since 2025-08-01).
    assert int(cold["billed"]) == math.ceil(float(cold["duration"]) + float(cold["init"]))
    assert int(warm["billed"]) == math.ceil(float(warm["duration"]))
    for line in (cold, warm):
        assert int(line["memory"]) == template_memory_mb()
        assert int(line["used"]) > 0


async def test_environments_start_on_demand(pool: EnvironmentPool) -> None:
    assert pool.pids() == []
    await pool.invoke(health())
    assert len(pool.pids()) == 1


async def test_beyond_concurrency_a_request_is_refused_as_api_gateway_answers(
    server: tuple[LambdaServer, httpx.AsyncClient],
    catalog: HeldCatalog,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app, api = server
    held = asyncio.create_task(api.get("/movies"))
    await catalog.wait_arrived()  # the only environment is busy
    [busy] = app.pool.pids()
    refused = await api.get("/health")
    assert refused.status_code == 500
    assert refused.headers["content-type"] == "application/json"
    assert refused.json() == INTERNAL_ERROR
    assert app.pool.pids() == [busy]  # no second environment
    catalog.release.set()
    assert (await held).status_code == 502  # the app's own answer to a failing catalog
    served = await api.get("/health")
    assert served.status_code == 200
    assert app.pool.pids() == [busy]  # the same environment, warm
    *_, last = reports(capsys.readouterr().out)
    assert last["id"] == served.headers["x-request-id"]
    assert last["init"] is None


async def test_the_pool_raises_throttled_without_queueing(
    config: FunctionConfig, catalog: HeldCatalog
) -> None:
    pool = EnvironmentPool(config, 1)
    try:
        held = asyncio.create_task(pool.invoke(to_event(HttpRequest("GET", "/movies"), "v2")))
        await catalog.wait_arrived()
        with pytest.raises(Throttled):
            await pool.invoke(health())
        catalog.release.set()
        await held
    finally:
        await asyncio.to_thread(pool.close)


async def test_an_environment_that_dies_mid_invocation_is_replaced(
    server: tuple[LambdaServer, httpx.AsyncClient],
    catalog: HeldCatalog,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app, api = server
    held = asyncio.create_task(api.get("/movies"))
    await catalog.wait_arrived()
    [doomed] = app.pool.pids()
    os.kill(doomed, signal.SIGKILL)
    failed = await held
    assert (failed.status_code, failed.json()) == (500, INTERNAL_ERROR)
    assert app.pool.pids() == []
    served = await api.get("/health")
    assert served.status_code == 200
    [fresh] = app.pool.pids()
    assert fresh != doomed
    *_, last = reports(capsys.readouterr().out)
    assert last["init"] is not None  # a cold start


async def test_a_crashing_handler_fails_its_invocation_and_the_next_starts_fresh(
    config: FunctionConfig,
) -> None:
    pool = EnvironmentPool(dataclasses.replace(config, handler=ENV_HANDLER), 1)
    try:
        with pytest.raises(InvocationFailed):
            await pool.invoke({"crash": True})
        assert pool.pids() == []
        assert "env" in await pool.invoke({})
    finally:
        await asyncio.to_thread(pool.close)


async def test_an_environment_killed_while_idle_is_never_given_an_event(
    pool: EnvironmentPool,
) -> None:
    await pool.invoke(health())
    [idle] = pool.pids()
    await asyncio.to_thread(kill_and_wait, idle)
    assert (await pool.invoke(health()))["statusCode"] == 200
    assert pool.pids() != [idle]


async def test_each_environment_gets_the_templates_variables(config: FunctionConfig) -> None:
    stack = {"QUEUE_URL": "http://127.0.0.1:1/123456789012/q", "LOG_FILE": "x.log"}
    local = function_config({**os.environ, **stack, "CATALOG_URL": "http://c"})
    pool = EnvironmentPool(dataclasses.replace(local, handler=ENV_HANDLER), 1)
    try:
        seen = await pool.invoke({"requestContext": {"requestId": "r-1"}})
    finally:
        await asyncio.to_thread(pool.close)
    env: dict[str, str] = seen["env"]
    template_vars = declared(load_template(), "ApiFunction", {"CatalogUrl": "http://c"})
    assert set(template_vars) <= set(env)
    # The template's values, where the stack sets nothing...
    assert env["STAGE"] == "dev"
    assert env["DOCS_ENABLED"] == "true"
    assert env["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    # ...the stack's where it does (the template's QUEUE_URL would be the resource's id)...
    assert env["QUEUE_URL"] == stack["QUEUE_URL"]
    assert env["LOG_FILE"] == "x.log"
    assert env["CATALOG_URL"] == "http://c"
    # ...and what the runtime itself sets.
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == str(template_memory_mb())
    assert env["_HANDLER"] == "handlers.api.handler"  # the template's Handler
    assert seen["request_id"] == "r-1"

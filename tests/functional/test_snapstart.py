"""SnapStart: the hooks run in Lambda's order leave no client, session or pool in the snapshot,
and the first request after restore is served; and where each place opens the catalog pool.
The hooks on their own: tests/unit/test_snapstart_hooks.py."""

import json
import os
import subprocess
import sys
from typing import Any

from fastapi.testclient import TestClient

from handlers.mangum_handler import lambda_handler
from infra.local.lambda_runtime import EVENTS, LocalContext
from infra.local.processes import HOST, ROOT, LocalStack, free_port
from infra.local.services import catalog_service
from movies.catalog.fetchers import AiohttpFetcher
from movies.settings import Settings
from tests.support.apps import app_with_fakes
from tests.support.interpreter import offline_env

# Runs in a fresh interpreter, so that counting live objects means something: the deployed entry
# module, tracing on, the hooks in order, then the first request after restore.
SNAPSHOT_THEN_RESTORE = """
import gc, json, sys
import handlers.api as api
from movies import lazy
from infra.local.lambda_runtime import EVENTS, LocalContext

def alive(cls):
    return sum(isinstance(o, cls) for o in gc.get_objects())

api.snapshot_hooks.before_snapshot()
import aiohttp, botocore.client, requests
kinds = {"aiohttp sessions": aiohttp.ClientSession, "aiohttp connectors": aiohttp.BaseConnector,
         "boto3 clients": botocore.client.BaseClient, "requests sessions": requests.Session}
snapshot = {name: alive(kind) for name, kind in kinds.items()}
snapshot["lazies made"] = lazy.created()
snapshot["tracer built"] = api.tracer is not None and api.tracer.built
snapshot["imported"] = [m for m in ("aiohttp", "boto3", "requests") if m in sys.modules]
api.snapshot_hooks.after_restore()
event = json.loads((EVENTS / "http-api" / "movies.json").read_text())
result = api.handler(event, LocalContext())
after = {"status": result["statusCode"], "aiohttp sessions": alive(aiohttp.ClientSession),
         "lazies made": lazy.created()}
print("RESULT " + json.dumps({"snapshot": snapshot, "after": after}))
"""


def _run_deployed_module(catalog_url: str) -> dict[str, Any]:
    env = offline_env(
        {k: v for k, v in os.environ.items() if k != "POWERTOOLS_TRACE_DISABLED"},
        CATALOG_URL=catalog_url,
        AWS_XRAY_CONTEXT_MISSING="IGNORE_ERROR",
        AWS_XRAY_DAEMON_ADDRESS=f"{HOST}:2000",  # UDP: nobody listens, nothing fails
        # As on Lambda, where X-Ray samples locally; elsewhere its recorder builds a boto3
        # client for centralized sampling rules, which a snapshot must not hold.
        LAMBDA_TASK_ROOT=str(ROOT / "functions"),
    )
    done = subprocess.run(
        [sys.executable, "-c", SNAPSHOT_THEN_RESTORE],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0, done.stderr[-2000:]
    assert lines, done.stdout[-2000:]
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return result


def test_the_snapshot_holds_imports_and_the_tracer_but_no_connection() -> None:
    port = free_port()
    with LocalStack([catalog_service(port, 0)]):
        result = _run_deployed_module(f"http://{HOST}:{port}")
    snapshot, after = result["snapshot"], result["after"]
    assert snapshot == {
        "aiohttp sessions": 0,
        "aiohttp connectors": 0,
        "boto3 clients": 0,
        "requests sessions": 0,
        "lazies made": [],
        "tracer built": True,
        "imported": ["aiohttp", "boto3", "requests"],
    }
    # After restore, the first /movies makes the session in its own loop and is served.
    assert after == {"status": 200, "aiohttp sessions": 1, "lazies made": ["aiohttp session"]}


def _aiohttp_app() -> tuple[Any, AiohttpFetcher]:
    fetcher = AiohttpFetcher(max_connections=10)
    return app_with_fakes(Settings(catalog_url=f"http://{HOST}:9"), fetcher=fetcher), fetcher


def test_a_server_opens_the_catalog_pool_at_startup_and_closes_it_at_shutdown() -> None:
    app, fetcher = _aiohttp_app()
    with TestClient(app) as client:  # runs the lifespan, as uvicorn does
        assert fetcher._session.created  # before any request
        assert client.get("/health").status_code == 200
    assert not fetcher._session.created


def test_on_lambda_the_catalog_pool_stays_lazy() -> None:
    from aws_lambda_powertools import Logger, Metrics

    app, fetcher = _aiohttp_app()
    handler = lambda_handler(app, Logger(service="snapstart-test"), Metrics(namespace="Test"))
    event = json.loads((EVENTS / "http-api" / "health.json").read_text())
    assert handler(event, LocalContext())["statusCode"] == 200
    assert not fetcher._session.created  # Mangum runs no lifespan: /health made no session

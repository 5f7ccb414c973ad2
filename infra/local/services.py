"""The local stack's processes: moto, the catalog simulator, the API (three ways), the pollers."""

import os
import sys
from collections.abc import Callable

from infra.local.processes import BIND_HOST, HOST, ROOT, Service

# How long a server keeps an idle connection: longer than any client's pool keeps one (httpx
# and aiohttp: 5 s, uvicorn's own default too). With both at 5 s, a client could send its next
# request on a connection the server was closing that instant, and get a reset (httpx.ReadError):
# seen once in ten no-loss runs. The server must be the side that waits longer; 75 s is what
# nginx, gunicorn and aiohttp's server use.
KEEP_ALIVE_S = 75


def catalog_service(port: int, latency_ms: int) -> Service:
    """The catalog simulator on `port` with `latency_ms` per request."""
    argv = [sys.executable, "-m", "infra.catalog_sim", "--host", BIND_HOST, "--port", str(port)]
    return Service(
        "catalog",
        [*argv, "--latency-ms", str(latency_ms)],
        f"http://{HOST}:{port}/_health",
        restart=True,
    )


def aws_service(port: int, env: dict[str, str] | None = None) -> Service:
    """moto in server mode: SQS and DynamoDB on loopback, no AWS account needed."""
    argv = [sys.executable, "-m", "infra.local.moto_server", "--host", BIND_HOST]
    argv += ["--port", str(port)]
    return Service("aws", argv, f"http://{HOST}:{port}/moto-api/", env or {}, quiet=True)


def issuer_service(port: int, env: dict[str, str] | None = None) -> Service:
    """The development OIDC issuer: discovery, JWKS and POST /token."""
    argv = [sys.executable, "-m", "infra.issuer", "--host", HOST, "--port", str(port)]
    health = f"http://{HOST}:{port}/.well-known/openid-configuration"
    return Service("issuer", argv, health, env or {}, restart=True)


def poller_service(number: int, env: dict[str, str]) -> Service:
    """One worker environment: polls the task queue and invokes the worker handler."""
    env = {
        "PYTHONPATH": str(ROOT / "functions"),
        "POWERTOOLS_SERVICE_NAME": "movie-api-worker",
        **env,
    }
    argv = [sys.executable, "-m", "infra.local.poller"]
    return Service(f"poller-{number}", argv, "", env, restart=True)


def api_service(
    port: int, catalog_port: int, env: dict[str, str] | None = None, *, gateway: bool = True
) -> Service:
    """The API under uvicorn (uvloop, httptools), reading the catalog on `catalog_port`.

    Behind the local gateway (API Gateway's routes and JWT checks, ISSUER_URL's tokens) unless
    `gateway` is False: the bare app, as the benchmarks measure it. Configured as template.yaml
    configures ApiFunction (the catalog cache's TTL, the limits, ...), as make run-lambda's
    environments are: the developer's environment and then `env` override the template.
    """
    # Here, not at the top: the simulator and the issuer import this module for KEEP_ALIVE_S,
    # and need not import boto3 (infra.local.aws_env) at their start for it.
    from infra.local.sam_local_env import template_variables

    factory = "infra.gateway.app:create_app" if gateway else "movies.main:build_app"
    catalog_url = f"http://{HOST}:{catalog_port}"
    declared = template_variables(catalog_url)
    unset = {name: value for name, value in declared.items() if name not in os.environ}
    return uvicorn_service("api", factory, port, catalog_port, {**unset, **(env or {})})


def lambda_service(port: int, catalog_port: int, env: dict[str, str] | None = None) -> Service:
    """The API through the real Lambda handler, behind a local API Gateway stand-in."""
    lambda_env = {
        # The spawned execution environments import handlers.api from functions/.
        "PYTHONPATH": str(ROOT / "functions"),
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "MovieApiLocal",
        **(env or {}),
    }
    return uvicorn_service(
        "lambda", "infra.gateway.lambda_server:LambdaServer", port, catalog_port, lambda_env
    )


def uvicorn_service(
    name: str,
    factory: str,
    port: int,
    catalog_port: int,
    env: dict[str, str] | None,
    health_path: str = "/health",
) -> Service:
    """An app `factory` under uvicorn with the API's flags, reading the catalog at catalog_port."""
    argv = [sys.executable, "-m", "uvicorn", factory, "--factory"]
    argv += ["--app-dir", str(ROOT / "functions"), "--host", HOST, "--port", str(port)]
    argv += ["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--backlog", "2048"]
    argv += ["--timeout-keep-alive", str(KEEP_ALIVE_S)]
    return Service(
        name,
        argv,
        f"http://{HOST}:{port}{health_path}",
        {
            "CATALOG_URL": f"http://{HOST}:{catalog_port}",
            "POWERTOOLS_SERVICE_NAME": os.environ.get("POWERTOOLS_SERVICE_NAME", "movie-api"),
            **(env or {}),
        },
        restart=True,
    )


# Builds the API's service from its port, the catalog's port and its environment. API_KINDS are
# the stack's own; a caller with an API of its own (the soak's faulty app) passes its builder.
ApiService = Callable[[int, int, dict[str, str]], Service]

API_KINDS: dict[str, ApiService] = {
    "uvicorn": api_service,
    "lambda": lambda_service,
}

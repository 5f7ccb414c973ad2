"""The processes a benchmark needs, on free loopback ports, with their output kept in files."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from infra.local.processes import (
    HOST,
    ROOT,
    LocalStack,
    Service,
    api_service,
    catalog_service,
    free_port,
    lambda_service,
)

# The benchmarked routes never call AWS, but the app builds boto3 clients at start-up: give them
# a region and dummy credentials, and an endpoint on a closed loopback port so nothing can leave.
NO_AWS = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_ENDPOINT_URL": f"http://{HOST}:9",
}
UNCACHED = {**NO_AWS, "CATALOG_CACHE_TTL_S": "0"}
CACHED = {**NO_AWS, "CATALOG_CACHE_TTL_S": "60"}


class QuietStack(LocalStack):
    """A LocalStack whose services write stdout and stderr (a JSON line per request) to files."""

    def __init__(self, services: list[Service], log_dir: Path) -> None:
        super().__init__(services)
        self.log_dir = log_dir

    def start(self, timeout_s: float = 60.0) -> None:
        """Start every service, output to `log_dir/<name>.out`, and wait until each is healthy."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            with (self.log_dir / f"{service.name}.out").open("wb") as out:
                self.processes[service.name] = subprocess.Popen(  # noqa: S603 (our own argv)
                    service.argv,
                    cwd=ROOT,
                    env={**os.environ, **service.env},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        deadline = time.monotonic() + timeout_s
        for service in self.services:
            self._wait_healthy(service, deadline)


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of the running services; None for a service not started."""

    catalog: str
    api: str
    lambda_api: str | None = None
    baseline: str | None = None
    api_cached: str | None = None


def baseline_service(port: int, catalog_port: int) -> Service:
    """infra/bench/baseline_app.py under uvicorn with the API's flags (uvloop, httptools)."""
    argv = [sys.executable, "-m", "uvicorn", "infra.bench.baseline_app:create_app", "--factory"]
    argv += ["--app-dir", str(ROOT / "functions"), "--host", HOST, "--port", str(port)]
    argv += ["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--backlog", "2048"]
    env = {"CATALOG_URL": f"http://{HOST}:{catalog_port}"}
    return Service("baseline", argv, f"http://{HOST}:{port}/constant", env)


def _url(port: int) -> str:
    return f"http://{HOST}:{port}"


def bench_stack(
    latency_ms: int,
    log_dir: Path,
    *,
    lambda_path: bool = False,
    baseline: bool = False,
    cached: bool = False,
    environments: int | None = None,
) -> tuple[QuietStack, Endpoints]:
    """The catalog and the API (caching off), plus the optional Lambda path, baselines and a
    second API with caching on, all reading the one catalog."""
    catalog_port, api_port = free_port(), free_port()
    services = [
        catalog_service(catalog_port, latency_ms),
        api_service(api_port, catalog_port, UNCACHED),
    ]
    lambda_url = baseline_url = cached_url = None
    if lambda_path:
        port = free_port()
        env = dict(UNCACHED)
        if environments is not None:
            env["LAMBDA_ENVIRONMENTS"] = str(environments)
        services.append(lambda_service(port, catalog_port, env))
        lambda_url = _url(port)
    if baseline:
        port = free_port()
        services.append(baseline_service(port, catalog_port))
        baseline_url = _url(port)
    if cached:
        port = free_port()
        api = api_service(port, catalog_port, CACHED)
        services.append(Service("api-cached", api.argv, api.health_url, api.env))
        cached_url = _url(port)
    endpoints = Endpoints(_url(catalog_port), _url(api_port), lambda_url, baseline_url, cached_url)
    return QuietStack(services, log_dir), endpoints

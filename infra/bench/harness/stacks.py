"""The processes a benchmark needs, on free loopback ports, with their output kept in files."""

from dataclasses import dataclass
from pathlib import Path

from infra.gateway.parameters import stage_throttle
from infra.local.aws_env import local_env
from infra.local.processes import HOST, LocalStack, Service, free_port
from infra.local.services import api_service, catalog_service, lambda_service, uvicorn_service

# The benchmarked routes never call AWS nor need a token, but the app builds boto3 clients at
# start-up and the Lambda stand-in its authorizer: give them the local region and fake
# credentials, and an endpoint and an issuer on a closed loopback port, so nothing can leave.
NO_AWS = {**local_env(f"http://{HOST}:9"), "ISSUER_URL": f"http://{HOST}:9"}
# The lesson's APIs cache nothing, whatever template.yaml says (a TTL of 0 turns off both the
# in-process and the shared layer), and the Lambda path's stage allows the benchmarks' load
# (c=500 and more a second on one route). The cached one measures one process's cache: its
# shared layer, which would ask the closed endpoint above, is off.
UNCACHED = {**NO_AWS, "CATALOG_CACHE_TTL_S": "0", **stage_throttle(rate=50_000, burst=50_000)}
CACHED = {**NO_AWS, "CATALOG_CACHE_TTL_S": "60", "CATALOG_SHARED_CACHE": "false"}
# anyio's default thread limiter: the API's plain `def` routes (/blocking-movies) serve this
# many requests at once.
THREADPOOL = 40


@dataclass(frozen=True)
class BenchUrls:
    """Base URLs of a bench stack's services; None for a service not started."""

    catalog: str
    api: str
    lambda_api: str | None = None
    baseline: str | None = None
    api_cached: str | None = None


def baseline_service(port: int, catalog_port: int) -> Service:
    """harness/baseline_app.py under uvicorn with the API's flags (uvloop, httptools)."""
    factory = "infra.bench.harness.baseline_app:create_app"
    return uvicorn_service("baseline", factory, port, catalog_port, None, "/constant")


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
) -> tuple[LocalStack, BenchUrls]:
    """The catalog and the API app (caching off; without the local gateway, whose work is API
    Gateway's on AWS and whose routes are public), plus the optional Lambda path, baselines and a
    second API with caching on, all reading the one catalog."""
    catalog_port, api_port = free_port(), free_port()
    services = [
        catalog_service(catalog_port, latency_ms),
        api_service(api_port, catalog_port, UNCACHED, gateway=False),
    ]
    lambda_url = baseline_url = cached_url = None
    if lambda_path:
        port = free_port()
        env = dict(UNCACHED)
        if environments is not None:
            env["LAMBDA_CONCURRENCY"] = str(environments)
        services.append(lambda_service(port, catalog_port, env))
        lambda_url = _url(port)
    if baseline:
        port = free_port()
        services.append(baseline_service(port, catalog_port))
        baseline_url = _url(port)
    if cached:
        port = free_port()
        api = api_service(port, catalog_port, CACHED, gateway=False)
        services.append(Service("api-cached", api.argv, api.health_url, api.env))
        cached_url = _url(port)
    endpoints = BenchUrls(_url(catalog_port), _url(api_port), lambda_url, baseline_url, cached_url)
    # Each service writes its output (a JSON line per request) to log_dir/<name>.out.
    return LocalStack(services, log_dir, timeout_s=60.0), endpoints

"""The whole local stack for the soak: as infra.stack.running_stack, but the API is faulty_app.

moto (SQS, DynamoDB), the catalog simulator, the API under uvicorn serving
infra.faulty_app:create_app (1% of SQS sends refused), and worker pollers failing a share of
records on their first attempt. Loopback only, free ports.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from infra.local_stack import (
    HOST,
    ROOT,
    LocalStack,
    Service,
    aws_service,
    catalog_service,
    free_port,
    poller_service,
)
from infra.stack import Endpoints, aws_env, bootstrap


def faulty_api_service(port: int, catalog_port: int, env: dict[str, str]) -> Service:
    """The API under uvicorn as infra.local_stack.api_service runs it, from the faulty factory.

    `python -m` from the repository root (LocalStack's cwd) imports infra; --app-dir, movies.
    """
    argv = [sys.executable, "-m", "uvicorn", "infra.faulty_app:create_app", "--factory"]
    argv += ["--app-dir", str(ROOT / "functions"), "--host", HOST, "--port", str(port)]
    argv += ["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--backlog", "2048"]
    return Service(
        "api",
        argv,
        f"http://{HOST}:{port}/health",
        {
            "CATALOG_URL": f"http://{HOST}:{catalog_port}",
            "POWERTOOLS_SERVICE_NAME": os.environ.get("POWERTOOLS_SERVICE_NAME", "movie-api"),
            **env,
        },
    )


@contextmanager
def running_faulty_stack(
    *,
    api_env: dict[str, str],
    worker_env: dict[str, str],
    worker_fault_rate: float,
    latency_ms: int = 0,
    pollers: int = 2,
) -> Iterator[Endpoints]:
    """Start everything, bootstrap the queues and the table, yield the endpoints, stop it all."""
    api_port, catalog_port, aws_port = free_port(), free_port(), free_port()
    aws_url = f"http://{HOST}:{aws_port}"
    with LocalStack([aws_service(aws_port)]):
        resources = bootstrap(aws_url)
        env = aws_env(aws_url, resources)
        services = [
            catalog_service(catalog_port, latency_ms),
            faulty_api_service(api_port, catalog_port, {**env, **api_env}),
            *(
                poller_service(
                    n, {**env, **worker_env, "WORKER_FAULT_RATE": str(worker_fault_rate)}
                )
                for n in range(1, pollers + 1)
            ),
        ]
        with LocalStack(services) as stack:
            yield Endpoints(
                f"http://{HOST}:{api_port}",
                f"http://{HOST}:{catalog_port}",
                aws_url,
                resources,
                exited=stack.exited,
            )

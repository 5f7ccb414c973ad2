"""The whole local stack: moto (SQS, DynamoDB), catalog simulator, API, and the worker's pollers."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from infra.local.aws_env import client, local_env
from infra.local.processes import HOST, LocalStack, free_port
from infra.local.resources import Resources, create_resources
from infra.local.services import (
    API_KINDS,
    ApiService,
    aws_service,
    catalog_service,
    issuer_service,
    poller_service,
)


@dataclass(frozen=True)
class Endpoints:
    """Where each part of a running stack answers."""

    api_url: str
    catalog_url: str
    issuer_url: str
    aws_url: str
    resources: Resources
    exited: Callable[[], list[str]]  # services that exited since the start, restarted or not
    down: Callable[[], list[str]]  # one line per service that exited and stays down
    aws_pid: int  # moto's process: the fault tests stall it


def bootstrap(aws_url: str) -> Resources:
    """Create the template's queues and table on the moto server at `aws_url`."""
    return create_resources(client("sqs", aws_url), client("dynamodb", aws_url))


def aws_env(aws_url: str, resources: Resources) -> dict[str, str]:
    """Environment that points the app's and the worker's boto3 clients at moto's resources."""
    return {
        **local_env(aws_url),
        "QUEUE_URL": resources.queue_url,
        "TABLE_NAME": resources.table_name,
    }


@contextmanager
def running_stack(
    kind: str = "uvicorn",
    *,
    api: ApiService | None = None,
    api_port: int | None = None,
    catalog_port: int | None = None,
    aws_port: int | None = None,
    issuer_port: int | None = None,
    latency_ms: int = 0,
    api_env: dict[str, str] | None = None,
    worker_fault_rate: float = 0.0,
    worker_env: dict[str, str] | None = None,
    pollers: int = 2,
    issuer_env: dict[str, str] | None = None,
    moto_env: dict[str, str] | None = None,
    log_dir: Path | None = None,
) -> Iterator[Endpoints]:
    """Start everything, bootstrap AWS resources, yield the endpoints, stop everything.

    The API is one of API_KINDS by `kind`, or the service `api` builds (the soak's faulty app);
    it trusts the tokens of the stack's own development issuer (ISSUER_URL). `moto_env` adds to
    moto's environment (its recorder's file, say); with `log_dir`, each service's output goes to
    `<log_dir>/<name>.out` instead of the terminal (the bench reads the stand-in's REPORT lines
    there).

    Each poller is its own process, as each concurrent Lambda batch has its own environment.
    """
    api_port, catalog_port = api_port or free_port(), catalog_port or free_port()
    aws_port, issuer_port = aws_port or free_port(), issuer_port or free_port()
    aws_url = f"http://{HOST}:{aws_port}"
    issuer_url = f"http://{HOST}:{issuer_port}"
    with LocalStack([aws_service(aws_port, moto_env)], log_dir) as aws:
        resources = bootstrap(aws_url)
        env = aws_env(aws_url, resources)
        api_env = {"ISSUER_URL": issuer_url, **(api_env or {})}
        services = [
            issuer_service(issuer_port, issuer_env),
            catalog_service(catalog_port, latency_ms),
            (api or API_KINDS[kind])(api_port, catalog_port, {**env, **api_env}),
            *(
                poller_service(
                    n, {**env, **(worker_env or {}), "WORKER_FAULT_RATE": str(worker_fault_rate)}
                )
                for n in range(1, pollers + 1)
            ),
        ]
        with LocalStack(services, log_dir) as stack:
            yield Endpoints(
                f"http://{HOST}:{api_port}",
                f"http://{HOST}:{catalog_port}",
                issuer_url,
                aws_url,
                resources,
                exited=lambda: [*aws.exited(), *stack.exited()],
                down=lambda: [*aws.down(), *stack.down()],
                aws_pid=aws.processes["aws"].pid,
            )

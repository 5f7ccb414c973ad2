"""The whole local stack: moto (SQS, DynamoDB), catalog simulator, API, and the worker's pollers."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from infra.local.aws_env import client, local_env
from infra.local.event_source import function_env, sqs_event_source
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


@dataclass(frozen=True)
class LocalAws:
    """moto's server (infra.local.moto_server: serial, with its speed-ups) and the template's
    queues and table on it, as every local part uses them: the stack, the soak, the benches."""

    url: str
    resources: Resources
    process: LocalStack

    def env(self) -> dict[str, str]:
        """Environment that points the app's and the worker's boto3 clients at the resources."""
        return {
            **local_env(self.url),
            "QUEUE_URL": self.resources.queue_url,
            "TABLE_NAME": self.resources.table_name,
        }


@contextmanager
def running_aws(
    port: int | None = None, env: dict[str, str] | None = None, log_dir: Path | None = None
) -> Iterator[LocalAws]:
    """moto's server on `port` (a free one by default) with the template's resources created;
    stopped on exit, and its state with it: each call starts from empty queues and table. `env`
    adds to moto's environment; with `log_dir` its output goes to `<log_dir>/aws.out`."""
    port = port or free_port()
    url = f"http://{HOST}:{port}"
    with LocalStack([aws_service(port, env)], log_dir) as process:
        resources = create_resources(client("sqs", url), client("dynamodb", url))
        yield LocalAws(url, resources, process)


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
    issuer_port = issuer_port or free_port()
    issuer_url = f"http://{HOST}:{issuer_port}"
    with running_aws(aws_port, moto_env, log_dir) as aws:
        env = aws.env()
        api_env = {"ISSUER_URL": issuer_url, **(api_env or {})}
        # The pollers stand in for the worker's event source mapping: the function it invokes
        # gets the variables the template declares for it, the stack's names and endpoint, and
        # polls the mapping's queue.
        worker = {
            **function_env(sqs_event_source()),
            **env,
            "QUEUE_URL": aws.resources.polled_url,
            **(worker_env or {}),
            "WORKER_FAULT_RATE": str(worker_fault_rate),
        }
        services = [
            issuer_service(issuer_port, issuer_env),
            catalog_service(catalog_port, latency_ms),
            (api or API_KINDS[kind])(api_port, catalog_port, {**env, **api_env}),
            *(poller_service(n, worker) for n in range(1, pollers + 1)),
        ]
        with LocalStack(services, log_dir) as stack:
            yield Endpoints(
                f"http://{HOST}:{api_port}",
                f"http://{HOST}:{catalog_port}",
                issuer_url,
                aws.url,
                aws.resources,
                exited=lambda: [*aws.process.exited(), *stack.exited()],
                down=lambda: [*aws.process.down(), *stack.down()],
                aws_pid=aws.process.processes["aws"].pid,
            )

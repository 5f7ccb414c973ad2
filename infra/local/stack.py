"""The whole local stack: moto (SQS, DynamoDB), catalog simulator, API, and the worker's poller."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import boto3

from infra.local.local_aws import Resources, create_resources
from infra.local.processes import (
    HOST,
    LocalStack,
    Service,
    api_service,
    aws_service,
    catalog_service,
    free_port,
    lambda_service,
    poller_service,
    uvicorn_service,
)

API_KINDS: dict[str, Callable[[int, int, dict[str, str]], Service]] = {
    "uvicorn": api_service,
    "lambda": lambda_service,
    # The soak's API: the same app, but 1% of SQS sends refused (infra/soak/faulty_app.py).
    "faulty": lambda port, catalog_port, env: uvicorn_service(
        "api", "infra.soak.faulty_app:create_app", port, catalog_port, env
    ),
}
REGION = "us-east-1"
# moto accepts any credentials; these keep boto3 from looking for real ones.
_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@dataclass(frozen=True)
class Endpoints:
    """Where each part of a running stack answers."""

    api_url: str
    catalog_url: str
    aws_url: str
    resources: Resources
    exited: Callable[[], list[str]]


def bootstrap(aws_url: str) -> Resources:
    """Create the queues and the table on the moto server at `aws_url`."""
    session = boto3.Session(
        region_name=REGION,
        aws_access_key_id=_FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=_FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    sqs = session.client("sqs", endpoint_url=aws_url)
    dynamodb = session.client("dynamodb", endpoint_url=aws_url)
    return create_resources(sqs, dynamodb)


def aws_env(aws_url: str, resources: Resources) -> dict[str, str]:
    """Environment that points the app's and the worker's boto3 clients at moto."""
    return {
        "AWS_ENDPOINT_URL": aws_url,
        "AWS_DEFAULT_REGION": REGION,
        **_FAKE_CREDENTIALS,
        "QUEUE_URL": resources.queue_url,
        "TABLE_NAME": resources.table_name,
    }


@contextmanager
def running_stack(
    kind: str = "uvicorn",
    *,
    api_port: int | None = None,
    catalog_port: int | None = None,
    aws_port: int | None = None,
    latency_ms: int = 0,
    api_env: dict[str, str] | None = None,
    worker_fault_rate: float = 0.0,
    worker_env: dict[str, str] | None = None,
    pollers: int = 2,
) -> Iterator[Endpoints]:
    """Start everything, bootstrap AWS resources, yield the endpoints, stop everything.

    Each poller is its own process, as each concurrent Lambda batch has its own environment.
    """
    api_port, catalog_port = api_port or free_port(), catalog_port or free_port()
    aws_port = aws_port or free_port()
    aws_url = f"http://{HOST}:{aws_port}"
    with LocalStack([aws_service(aws_port)]):
        resources = bootstrap(aws_url)
        env = aws_env(aws_url, resources)
        services = [
            catalog_service(catalog_port, latency_ms),
            API_KINDS[kind](api_port, catalog_port, {**env, **(api_env or {})}),
            *(
                poller_service(
                    n, {**env, **(worker_env or {}), "WORKER_FAULT_RATE": str(worker_fault_rate)}
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

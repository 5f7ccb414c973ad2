"""Real HTTP: the catalog simulator and the API under uvicorn, on free loopback ports."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from infra.local_stack import HOST, LocalStack, api_service, catalog_service, free_port

# Short enough that a hanging catalog is cut quickly in tests, long enough for 1 s latencies.
TEST_DEADLINE_S = 2.5


@dataclass(frozen=True)
class Stack:
    """Where the running stack answers."""

    api_url: str
    catalog_url: str
    log_file: Path


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    log_file = tmp_path_factory.mktemp("logs") / "request.log"
    api_port, catalog_port = free_port(), free_port()
    env = {"LOG_FILE": str(log_file), "REQUEST_DEADLINE_S": str(TEST_DEADLINE_S)}
    services = [catalog_service(catalog_port, 0), api_service(api_port, catalog_port, env)]
    with LocalStack(services):
        yield Stack(f"http://{HOST}:{api_port}", f"http://{HOST}:{catalog_port}", log_file)


@pytest.fixture
async def catalog(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """The simulator's control plane; every test starts from a fast, fault-free catalog."""
    async with httpx.AsyncClient(base_url=stack.catalog_url, timeout=5) as client:
        await client.put("/_control", json=_CLEAN)
        await client.post("/_stats/reset")
        yield client
        await client.put("/_control", json=_CLEAN)


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(base_url=stack.api_url, timeout=10, limits=limits) as client:
        yield client


_CLEAN = {
    "latency_ms": 0,
    "error_rate": 0,
    "timeout_rate": 0,
    "invalid_json_rate": 0,
    "slow_body_rate": 0,
    "drop_rate": 0,
    "wrong_shape_rate": 0,
}

"""Real HTTP against a running API: by default, local stacks this suite starts itself.

Without BASE_URL, every test runs against two local targets on free loopback ports: the API
under uvicorn and the API through the Lambda handler (`make run-lambda`), each beside its own
catalog simulator. With BASE_URL (for example a deployed stack's ApiUrl), the tests run against
that URL; the tests that steer the catalog also need CATALOG_URL to reach the simulator's
control plane, and the personal routes need API_TOKEN and API_TOKEN_OTHER (access tokens of two
different users of the deployed issuer, ISSUER_URL).

Locally, each stack's development issuer signs with the test key (tests/support/tokens.py), so
the suite mints the same table of good and bad tokens it uses in-process. The targets themselves
(Stack, start_stack, EXTERNAL, KINDS) are in tests/support/stacks.py; here are the fixtures.
"""

import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.support.stacks import EXTERNAL, KINDS, Stack, start_stack


@pytest.fixture(scope="session", params=["external"] if EXTERNAL else list(KINDS))
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    if EXTERNAL:
        catalog_url, issuer_url = os.environ.get("CATALOG_URL"), os.environ.get("ISSUER_URL")
        yield Stack("external", EXTERNAL.rstrip("/"), catalog_url, None, None, issuer_url)
        return
    running, log_file = start_stack(
        request.param, tmp_path_factory.mktemp("logs"), LAMBDA_CONCURRENCY="4"
    )
    with running as endpoints:
        yield Stack(
            request.param,
            endpoints.api_url,
            endpoints.catalog_url,
            log_file,
            endpoints,
            endpoints.issuer_url,
        )


@pytest.fixture(scope="session")
def uvicorn_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Concurrency within one process is uvicorn's; on Lambda each request has an environment."""
    running, log_file = start_stack("uvicorn", tmp_path_factory.mktemp("concurrency"))
    with running as endpoints:
        yield Stack("uvicorn", endpoints.api_url, endpoints.catalog_url, log_file, endpoints)


@pytest.fixture
async def catalog(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    """The simulator's control plane; every test starts from a fast, fault-free catalog."""
    if stack.catalog_url is None:
        pytest.skip("set CATALOG_URL to the simulator's URL to steer the catalog")
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

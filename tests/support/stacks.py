"""The API targets the live suites run against: local stacks they start, or BASE_URL.

Without BASE_URL, a target is a whole local stack on free loopback ports (the API under uvicorn
or through the Lambda handler, the catalog simulator, moto, the pollers, the development issuer
signing with the test key of tests/support/tokens.py). With BASE_URL (a deployed stack's ApiUrl,
say), the target is that URL; the personal routes then need API_TOKEN and API_TOKEN_OTHER.
"""

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest

from infra.gateway.parameters import stage_throttle
from infra.local.stack import Endpoints, running_stack
from tests.support.tokens import KEY, access_token

# A deployed API to run against instead of local stacks, or None.
EXTERNAL = os.environ.get("BASE_URL")
# Short enough that a hanging catalog is cut quickly in tests, long enough for 1 s latencies.
TEST_DEADLINE_S = 2.5
# Worker faults are always on in e2e: 10% of records fail their first attempt.
WORKER_FAULT_RATE = 0.1
# The API targets CI runs against: uvicorn, and the Lambda handler (make run-lambda).
KINDS = ("uvicorn", "lambda")


@dataclass(frozen=True)
class Stack:
    """Where the API answers, and the local stack behind it (None for an external target)."""

    kind: str
    api_url: str
    catalog_url: str | None
    log_file: Path | None
    local: Endpoints | None = None
    issuer_url: str | None = None

    def token(self, user: str) -> str:
        """A valid access token of `user` ("alice" or "bob" against BASE_URL)."""
        if self.local is None:
            name = {"alice": "API_TOKEN", "bob": "API_TOKEN_OTHER"}[user]
            if name not in os.environ:
                pytest.fail(f"set {name} to test the personal routes of {self.api_url}")
            return os.environ[name]
        return access_token(KEY, self.local.issuer_url, user)

    def auth(self, user: str) -> dict[str, str]:
        """The Authorization header of `user`."""
        return {"authorization": f"Bearer {self.token(user)}"}


def start_stack(
    kind: str, log_dir: Path, **env: str
) -> tuple[AbstractContextManager[Endpoints], Path]:
    """The whole local stack with the API of `kind`, on free ports, catalog at 0 ms.

    Catalog caching is off unless `env` turns it on: the tests steer the catalog's faults and
    count its calls, and a cached answer would hide both.
    """
    log_file = log_dir / f"{kind}-request.log"
    api_env = {
        "LOG_FILE": str(log_file),
        "REQUEST_DEADLINE_S": str(TEST_DEADLINE_S),
        # The load tests send hundreds of requests a second to one route (no-loss, concurrency).
        **stage_throttle(rate=10_000, burst=10_000),
        "CATALOG_CACHE_TTL_S": "0",
        **env,
    }
    issuer_env = {"ISSUER_PRIVATE_KEY": KEY.private_pem(), "ISSUER_KID": KEY.kid}
    running = running_stack(
        kind, api_env=api_env, worker_fault_rate=WORKER_FAULT_RATE, issuer_env=issuer_env
    )
    return running, log_file

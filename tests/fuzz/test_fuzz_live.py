"""schemathesis over real HTTP: the local stack (uvicorn, moto's SQS and DynamoDB, the catalog
simulator at 0 ms, the worker pollers), or BASE_URL when set.

The spec is the app's own, loaded at import so pytest can list one test per operation; a test
checks that the running API serves the same one. A smaller budget than in-process: each case is
a real request through every part of the stack, with a valid token from the stack's own
issuer (or API_TOKEN with BASE_URL), so the personal routes are fuzzed past the authorizer.
"""

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis

from infra.gateway.parameters import stage_throttle
from infra.issuer.app import request_token
from infra.local.stack import running_stack
from tests.fuzz.apps import FUZZ_REQUESTS_PER_MINUTE, build
from tests.fuzz.checks import (
    ALWAYS,
    LIVE_EXAMPLES,
    REPLACED,
    BearerAuth,
    fuzz_settings,
    gateway_answers_undeclared_methods,
)
from tests.support.stacks import EXTERNAL

SPEC = build().app.openapi()
schema = schemathesis.openapi.from_dict(SPEC)


@schema.auth()
class LiveAuth(BearerAuth):
    """The live API's token, set by the live_api fixture."""


@pytest.fixture(scope="session")
def live_api() -> Iterator[str]:
    """The API, its token in LiveAuth: API_TOKEN with BASE_URL, else one from the stack's issuer."""
    if EXTERNAL:
        LiveAuth.token = os.environ["API_TOKEN"]
        yield EXTERNAL.rstrip("/")
        return
    limits = str(FUZZ_REQUESTS_PER_MINUTE)
    api_env = {
        "REQUEST_DEADLINE_S": "5",
        "RATINGS_PER_MINUTE": limits,
        "RECOMMENDATIONS_PER_MINUTE": limits,
        # Schemathesis sends bursts of hundreds to one route; the stage allows them.
        **stage_throttle(rate=10_000, burst=10_000),
    }
    with running_stack("uvicorn", latency_ms=0, api_env=api_env) as stack:
        LiveAuth.token = request_token(stack.issuer_url, "fuzzer")
        yield stack.api_url


def test_the_running_api_serves_the_fuzzed_spec(live_api: str) -> None:
    served = httpx.get(f"{live_api}/openapi.json", timeout=10).json()
    assert served["paths"] == SPEC["paths"]
    assert served["components"] == SPEC["components"]


@schema.parametrize()
@fuzz_settings(LIVE_EXAMPLES)
def test_every_operation_conforms_over_http(case: Any, live_api: str) -> None:
    """With a valid token (LiveAuth), so the personal routes are fuzzed past the authorizer."""
    # An undeclared method matches no route, and API Gateway answers that itself: 404
    # {"message":"Not Found"}, on AWS and in the local front door alike, never the app's 405
    # (which the in-process suite checks). GATEWAY_ANSWERS pins that body.
    from schemathesis.specs.openapi.checks import unsupported_method

    case.call_and_validate(
        base_url=live_api,
        timeout=10,
        additional_checks=[*ALWAYS, gateway_answers_undeclared_methods],
        excluded_checks=[*REPLACED, unsupported_method],
    )

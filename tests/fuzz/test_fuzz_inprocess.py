"""schemathesis against the app in-process: every operation of its OpenAPI spec, healthy and broken.

Healthy, every built-in check applies, not_a_server_error and response_schema_conformance
among them: no 5xx, every status declared, every body as its schema says, plus nosniff and the
error shape on every response. Broken (each fault behind the app in turn), 5xx is expected, so
not_a_server_error gives way to never_500: a fault must surface as a declared, mapped error.
Bounded and derandomized (tests/fuzz/checks.py), so a failure replays.
"""

from typing import Any

import schemathesis
from schemathesis.checks import not_a_server_error

from tests.fuzz.apps import DownStore, build, client, without_lifespan
from tests.fuzz.checks import (
    ALWAYS,
    FAULT_EXAMPLES,
    HEALTHY_EXAMPLES,
    REPLACED,
    BearerAuth,
    fuzz_settings,
    never_500,
)
from tests.support.apps import behind_test_gateway
from tests.support.tokens import bearer


class AliceAuth(BearerAuth):
    token = bearer("alice")["authorization"].removeprefix("Bearer ")


def _schema(**fault: Any) -> Any:
    """The app behind the local gateway; every case carries alice's valid token."""
    app = behind_test_gateway(without_lifespan(build(**fault).app))  # type: ignore[arg-type]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.auth()(AliceAuth)
    return schema


healthy = _schema()


@healthy.parametrize()
@fuzz_settings(HEALTHY_EXAMPLES)
def test_every_operation_conforms_to_the_spec(case: Any) -> None:
    case.call_and_validate(additional_checks=ALWAYS, excluded_checks=REPLACED)


# Each fault in turn behind the app. Built once per module: the fakes hold no state that a
# case could leave behind for the next (the queue only records, the stores raise).
broken = schemathesis.pytest.parametrize(
    catalog_5xx=_schema(catalog_fault="5xx"),
    catalog_timeout=_schema(catalog_fault="timeout"),
    catalog_refused=_schema(catalog_fault="connect"),
    catalog_dropped=_schema(catalog_fault="drop"),
    catalog_invalid_json=_schema(catalog_fault="invalid_json"),
    catalog_wrong_shape=_schema(catalog_fault="wrong_shape"),
    catalog_404=_schema(catalog_fault="404"),
    catalog_pool_exhausted=_schema(catalog_fault="pool"),
    queue_down=_schema(queue_down=True),
    store_down=_schema(store=DownStore()),
)


@broken
@fuzz_settings(FAULT_EXAMPLES, explicit=False)
def test_every_fault_is_a_declared_error(case: Any) -> None:
    case.call_and_validate(
        additional_checks=[*ALWAYS, never_500],
        excluded_checks=[*REPLACED, not_a_server_error],
    )


# A hanging catalog: the request deadline answers 504. Few examples, each waits the deadline.
hanging = _schema(catalog_fault="hang", deadline_s=0.1, hang_s=5.0)


@hanging.parametrize()
@fuzz_settings(3, explicit=False)
def test_a_hanging_catalog_is_a_declared_504(case: Any) -> None:
    case.call_and_validate(
        additional_checks=[*ALWAYS, never_500],
        excluded_checks=[*REPLACED, not_a_server_error],
    )


async def test_405_allow_lists_every_method_of_the_path() -> None:
    async with client(build().app) as api:
        response = await api.request("OPTIONS", "/me/ratings")
    assert response.status_code == 405
    allowed = {method.strip() for method in response.headers["allow"].split(",")}
    assert allowed >= {"GET", "POST"}

"""schemathesis settings and extra checks shared by the in-process and the live fuzz suites."""

from typing import Any

from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from tests.fuzz.apps import ERROR_KEYS, LEAKS

# Fixed and bounded: every run generates the same cases, so a failure replays as it was found.
# derandomize=True derives each operation's examples from the test itself, not from a random
# seed, and database=None keeps no example store between runs. Hypothesis also mixes in
# literals from the loaded test modules, so one file run alone may draw other cases than the
# whole suite; either replays itself, and each failure prints the curl that reproduces it.
HEALTHY_EXAMPLES = 25
FAULT_EXAMPLES = 8
LIVE_EXAMPLES = 10


def fuzz_settings(max_examples: int, *, explicit: bool = True) -> Any:
    """Hypothesis settings: deterministic, bounded, no per-example deadline (the app has one).

    `explicit` keeps schemathesis's coverage phase (boundary and negative cases it derives from
    the schema, run as Hypothesis explicit examples); without it only generated cases run.
    """
    phases = (Phase.explicit, Phase.generate) if explicit else (Phase.generate,)
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=phases,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


class BearerAuth:
    """schemathesis auth provider: every case carries `token` in its Authorization header.

    Given this way (not as a raw header), schemathesis knows the auth is real, so its
    ignored_auth check also replays a case without the token and with a bad one, and expects 401.
    Subclass it per schema and set `token` before the cases run.
    """

    token = ""

    def get(self, case: Any, ctx: Any) -> str:
        """The token to send."""
        return self.token

    def set(self, case: Any, data: str, ctx: Any) -> None:
        """Put it on the case."""
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


# What API Gateway answers itself, before the app runs, on AWS and in the local stacks' front
# door (infra/gateway/front.py, lambda_server.py): its own body, no request id, no app headers.
GATEWAY_ANSWERS = {
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def answered_by_the_gateway(response: Any) -> bool:
    """True for one of API Gateway's own answers (which the app's contract does not cover)."""
    if response.status_code not in GATEWAY_ANSWERS or "x-request-id" in response.headers:
        return False
    return bool(response.json() == {"message": GATEWAY_ANSWERS[response.status_code]})


def nosniff(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every response the app gives carries X-Content-Type-Options: nosniff."""
    if answered_by_the_gateway(response):
        return None
    assert response.headers.get("x-content-type-options") == ["nosniff"], (
        f"no nosniff header on {response.status_code}: {dict(response.headers)}"
    )
    return None


def error_body_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx and 5xx of the app is the JSON error shape with nothing internal in it."""
    if response.status_code < 400 or answered_by_the_gateway(response):
        return None
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) == ERROR_KEYS, body
    text = response.text
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} leaked: {text}"
    return None


def gateway_answers_undeclared_methods(ctx: Any, response: Any, case: Any) -> bool | None:
    """A method the spec does not declare for the path is API Gateway's own 404."""
    declared = case.operation.method.upper()
    if case.method.upper() != declared:
        assert response.status_code == 404, response.text
        assert answered_by_the_gateway(response), response.text
    return None


def never_500(ctx: Any, response: Any, case: Any) -> bool | None:
    """Whatever fails behind the app, it answers with a mapped error, never a bare 500."""
    assert response.status_code != 500, response.text
    return None


def positive_data_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's positive_data_acceptance, except for an Idempotency-Key reused with
    another body: a 422 the draft requires, decided by an earlier request (the fuzzer sends the
    same few keys again), which no schema can state. As a 404 for a movie the catalog does not
    know, which the check allows; any other 422 to a schema-valid request still fails it."""
    if response.status_code == 422 and response.json().get("error") == "idempotency_key_reused":
        return None
    result: bool | None = positive_data_acceptance(ctx, response, case)
    return result


def negative_data_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's negative_data_rejection, which also takes the app's 414 `uri_too_long`: a
    schema-violating query over 4096 bytes is refused for its length before it is parsed, a
    refusal the check's list of statuses does not name."""
    if response.status_code == 414 and response.json().get("error") == "uri_too_long":
        return None
    result: bool | None = negative_data_rejection(ctx, response, case)
    return result


ALWAYS = [nosniff, error_body_shape, positive_data_accepted, negative_data_refused]
# Checks ALWAYS replaces: pass them as excluded_checks wherever ALWAYS is added.
REPLACED = [positive_data_acceptance, negative_data_rejection]

"""Request ids: a safe client id is kept, anything else is replaced."""

from typing import Any

import pytest

from movies.api.middleware.request_id import request_id_from


def scope(headers: list[tuple[bytes, bytes]], **extra: Any) -> dict[str, Any]:
    return {"type": "http", "headers": headers, **extra}


def test_safe_client_id_is_kept() -> None:
    assert request_id_from(scope([(b"x-request-id", b"abc-123.X:y_z")])) == "abc-123.X:y_z"


@pytest.mark.parametrize("value", [b"", b"a b", b"x" * 129, b"<script>", "é".encode()])
def test_unsafe_client_id_is_replaced(value: bytes) -> None:
    generated = request_id_from(scope([(b"x-request-id", value)]))
    assert generated != value.decode("latin-1")
    assert len(generated) == 32


def test_missing_id_is_generated_and_unique() -> None:
    assert request_id_from(scope([])) != request_id_from(scope([]))


def test_api_gateway_request_id_wins_on_lambda() -> None:
    event = {"requestContext": {"requestId": "gw-Abc123="[:9]}}
    assert (
        request_id_from(scope([(b"x-request-id", b"client")], **{"aws.event": event}))
        == "gw-Abc123"
    )


def test_client_id_is_used_when_the_event_has_none() -> None:
    assert request_id_from(scope([(b"x-request-id", b"client")], **{"aws.event": {}})) == "client"

"""The local gateway's events are API Gateway's shapes: Content-Length only where it is forwarded.

The events through the real handler, and AWS's and Powertools' published samples:
tests/functional/test_event_samples.py.
"""

from typing import Any

import pytest

from infra.gateway.events import HttpRequest, to_event


@pytest.mark.parametrize("flavour", ["v1", "v2"])
def test_test_events_carry_content_length_only_where_the_gateway_forwards_it(
    flavour: Any,
) -> None:
    request = HttpRequest("POST", "/me/ratings", headers=[("content-length", "2")], body=b"{}")
    headers = {k.lower() for k in to_event(request, flavour)["headers"]}
    assert ("content-length" in headers) is (flavour == "v2")

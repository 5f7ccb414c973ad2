"""The stage's default route throttling, as API Gateway applies it: a token bucket per route.

HTTP API throttling (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html)
is a token bucket: `burst` requests at once, refilled at `rate` a second. The stage's
DefaultRouteSettings apply to each route of the stage, so each route has a bucket of its own.
A request beyond it is answered 429 `{"message":"Too Many Requests"}` and the function never runs.
Locally one gateway process serves the whole API, so its buckets are the stage's.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from infra.gateway.parameters import gateway_parameters
from infra.local.intrinsics import Resolver


@dataclass
class Throttle:
    """Token buckets of `burst` requests, refilled at `rate` a second, one per key (route)."""

    rate: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def admit(self, key: str) -> bool:
        """Take a token from `key`'s bucket: False when it is empty (the request is throttled)."""
        now = self.clock()
        tokens, then = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate)
        admitted = tokens >= 1
        self._buckets[key] = (tokens - 1 if admitted else tokens, now)
        return admitted


def throttle_of(template: dict[str, Any], api: str = "HttpApi") -> Throttle | None:
    """The HTTP API's default route throttling, resolved (THROTTLING_RATE_LIMIT and
    THROTTLING_BURST_LIMIT override the parameters); None if the template sets none."""
    declared = template["Resources"][api]["Properties"].get("DefaultRouteSettings", {})
    settings = Resolver(template, gateway_parameters()).resolve(declared)
    if "ThrottlingRateLimit" not in settings or "ThrottlingBurstLimit" not in settings:
        return None
    return Throttle(float(settings["ThrottlingRateLimit"]), int(settings["ThrottlingBurstLimit"]))

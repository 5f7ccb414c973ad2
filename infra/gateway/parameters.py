"""The template parameters a local stack takes from its environment, as `sam deploy` takes
parameter overrides: the rest keep their template defaults, as on a plain deploy."""

import os
from collections.abc import Mapping
from typing import Any

# Environment variable -> (parameter, whether it is a CommaDelimitedList).
OVERRIDES = {
    "CORS_ALLOW_ORIGINS": ("CorsAllowOrigins", True),
    "THROTTLING_RATE_LIMIT": ("ThrottlingRateLimit", False),
    "THROTTLING_BURST_LIMIT": ("ThrottlingBurstLimit", False),
}


def gateway_parameters(env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The parameter values the environment names (none: every parameter at its default)."""
    return {
        parameter: value.split(",") if is_list else value
        for name, (parameter, is_list) in OVERRIDES.items()
        if (value := env.get(name))
    }


def stage_throttle(rate: int, burst: int) -> dict[str, str]:
    """The environment that gives a local stack's stage these route throttling limits: a load
    test names the limits its load needs instead of turning the throttle off."""
    return {"THROTTLING_RATE_LIMIT": str(rate), "THROTTLING_BURST_LIMIT": str(burst)}

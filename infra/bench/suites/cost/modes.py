"""The two ways the bench runs the API: caching as shipped, and caching off (the one switch).

"As shipped" is what the deployed function gets: the template's CATALOG_CACHE_TTL_S for
ApiFunction, or, if it declares none, the app's own default. "Off" is CATALOG_CACHE_TTL_S=0,
which turns every cache layer off (the in-process one, and the one shared across environments);
every switch of a cache layer goes into CACHING_OFF, here and nowhere else.
"""

import os
from dataclasses import dataclass

from infra.local.sam_local_env import declared
from infra.local.template import load_template

SHIPPED = "as shipped"
OFF = "off"
TTL_VARIABLE = "CATALOG_CACHE_TTL_S"
CACHING_OFF: dict[str, str] = {
    TTL_VARIABLE: "0",
    # The shared layer's own switch (issue 17, part 2): a TTL of 0 already turns it off; said
    # twice so that "off" stays off should the two ever part. Unknown settings are ignored.
    "CATALOG_SHARED_CACHE": "false",
}
# Any catalog URL: the TTL does not depend on it.
_PARAMETERS = {"CatalogUrl": "http://127.0.0.1:9"}


@dataclass(frozen=True)
class Mode:
    """A caching mode: its name and the variables it gives the function's environments."""

    name: str
    env: dict[str, str]
    warm_up: bool  # one unmeasured pass of the same workload first


def shipped_env() -> dict[str, str]:
    """The template's caching variables for ApiFunction ({} if it declares none)."""
    variables = declared(load_template(), "ApiFunction", _PARAMETERS)
    return {TTL_VARIABLE: str(variables[TTL_VARIABLE])} if TTL_VARIABLE in variables else {}


def modes() -> list[Mode]:
    """As shipped (after a warm-up pass, as target 1 reads), then off.

    A CATALOG_CACHE_TTL_S in the caller's own environment would reach every environment of the
    stand-in (the server's environment wins over the template's), so it is refused here.
    """
    if TTL_VARIABLE in os.environ:
        raise SystemExit(f"unset {TTL_VARIABLE}: bench-cost sets caching itself, shipped and off")
    return [Mode(SHIPPED, shipped_env(), True), Mode(OFF, dict(CACHING_OFF), False)]

"""The stand-in's function as template.yaml configures it: handler, memory, timeout, environment.

The environment each execution environment gets, lowest precedence first:

1. The variables template.yaml declares for the function (Globals' first, then its own),
   resolved as `sam local` resolves them (infra.local.sam_local_env.declared): parameters at
   their defaults, CatalogUrl the stack's catalog, and a Ref to a resource its logical id.
2. The server's own environment, which wins: it is what the local stack (services.lambda_service,
   stack.LocalAws.env: QUEUE_URL, TABLE_NAME, AWS_ENDPOINT_URL and credentials, CATALOG_URL,
   ISSUER_URL, LOG_FILE, ...) or the developer set for this run. Where the template's value
   points at AWS (QUEUE_URL: TaskQueue, AWS_ENDPOINT_URL: "" = AWS itself), the stack's points
   at moto.
3. The variables the Lambda runtime reserves and sets itself (a function cannot override them):
   the function's name, memory and version, and _HANDLER (handlers.init_gc reads it).
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from infra.local.intrinsics import Resolver
from infra.local.lambda_runtime import LocalContext
from infra.local.sam_local_env import template_variables
from infra.local.template import load_template
from movies.settings import Settings

FUNCTION = "ApiFunction"
# Lambda's defaults for a function that does not set them.
DEFAULT_MEMORY_MB = 128
DEFAULT_TIMEOUT_S = 3


@dataclass(frozen=True)
class FunctionConfig:
    """One function as Lambda would configure its execution environments."""

    name: str
    handler: str
    memory_mb: int
    timeout_s: int
    env: dict[str, str]


def function_config(
    server_env: Mapping[str, str],
    function: str = FUNCTION,
    template: dict[str, Any] | None = None,
) -> FunctionConfig:
    """`function`'s configuration from the template (Globals, then its own properties)."""
    template = template if template is not None else load_template()
    catalog_url = server_env.get("CATALOG_URL", Settings.model_fields["catalog_url"].default)
    resolver = Resolver(template, {"CatalogUrl": catalog_url})
    properties = {
        **template.get("Globals", {}).get("Function", {}),
        **template["Resources"][function]["Properties"],
    }
    memory_mb = int(resolver.resolve(properties.get("MemorySize", DEFAULT_MEMORY_MB)))
    timeout_s = float(resolver.resolve(properties.get("Timeout", DEFAULT_TIMEOUT_S)))
    handler = str(resolver.resolve(properties["Handler"]))
    env = template_variables(catalog_url, function, template)
    env.update(server_env)
    env.update(
        AWS_LAMBDA_FUNCTION_NAME=LocalContext.function_name,  # as the context names it
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE=str(memory_mb),
        AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
        _HANDLER=handler,
    )
    return FunctionConfig(function, handler, memory_mb, math.ceil(timeout_s), env)

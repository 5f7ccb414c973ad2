"""The environment `sam local` gives a function, built without Docker: the template's declared
variables resolved as SAM CLI resolves them, overridden by the env-vars file (infra/env.local.json),
plus the AWS_* variables SAM CLI always sets. A key the template does not declare is dropped, as
SAM CLI drops it silently (aws-sam-cli#1553).

`python -m infra.local.sam_local_env --catalog-port P --aws-port Q --out FILE` writes that file
for other ports than the committed ones (`make local-api` does).
"""

import argparse
import json
from pathlib import Path
from typing import Any

from infra.local.aws_env import CREDENTIALS, REGION
from infra.local.intrinsics import Resolver
from infra.local.processes import ROOT
from infra.local.template import load_template

ENV_VARS_FILE = ROOT / "infra" / "env.local.json"
# Where a container reaches the host; a test swaps it for loopback.
DOCKER_HOST = "host.docker.internal"
# The ports ENV_VARS_FILE names: make run's defaults. `make local-api` writes a copy for the
# ports actually in use (CATALOG_PORT, AWS_PORT), as `make run` takes them.
COMMITTED_CATALOG_PORT = 8001
COMMITTED_AWS_PORT = 8002


def declared(template: dict[str, Any], function: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """The function's Environment.Variables, Globals' first, intrinsics resolved.

    SAM CLI resolves parameters and conditions; a Ref to a resource, which does not exist
    locally, becomes the resource's logical id (so QUEUE_URL is "TaskQueue" unless overridden).
    """
    resolver = Resolver(template, parameters)
    for name in template["Resources"]:
        resolver.created_resource(name, name)
    functions = template.get("Globals", {}).get("Function", {})
    own = template["Resources"][function]["Properties"]
    variables = {
        **functions.get("Environment", {}).get("Variables", {}),
        **own.get("Environment", {}).get("Variables", {}),
    }
    return {name: resolver.resolve(value) for name, value in variables.items()}


def template_variables(
    catalog_url: str, function: str = "ApiFunction", template: dict[str, Any] | None = None
) -> dict[str, str]:
    """`function`'s declared variables as text, CatalogUrl being `catalog_url`: what the local
    stacks give the API (make run's uvicorn, make run-lambda's environments) beneath their own."""
    template = template if template is not None else load_template()
    resolved = declared(template, function, {"CatalogUrl": catalog_url})
    return {name: str(value) for name, value in resolved.items()}


def sam_local_env(
    function: str, parameters: dict[str, Any] | None = None, env_vars: Path = ENV_VARS_FILE
) -> dict[str, str]:
    """What `sam local invoke/start-api --env-vars env_vars` puts in `function`'s environment.

    The credentials and region are the ones `make local-api` gives SAM CLI (moto's dummies).
    """
    values = json.loads(env_vars.read_text())
    overrides = {**values.get("Parameters", {}), **values.get(function, {})}
    env = {
        "AWS_SAM_LOCAL": "true",
        "AWS_LAMBDA_FUNCTION_NAME": function,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        **CREDENTIALS,
    }
    for name, value in declared(load_template(), function, parameters or {}).items():
        env[name] = str(overrides.get(name, value))
    return env


def on_loopback(env: dict[str, str], ports: dict[int, int]) -> dict[str, str]:
    """`env` with each host.docker.internal:<port> turned into 127.0.0.1:<ports[port]>."""
    swapped = {}
    for name, value in env.items():
        for docker_port, port in ports.items():
            value = value.replace(f"{DOCKER_HOST}:{docker_port}", f"127.0.0.1:{port}")
        swapped[name] = value
    return swapped


def for_ports(env_vars: dict[str, Any], ports: dict[int, int]) -> dict[str, Any]:
    """The env-vars file's values with each host.docker.internal:<port> moved to ports[port]."""
    return {
        function: {
            name: _moved(value, ports) if isinstance(value, str) else value
            for name, value in values.items()
        }
        for function, values in env_vars.items()
    }


def _moved(value: str, ports: dict[int, int]) -> str:
    for committed, port in ports.items():
        value = value.replace(f"{DOCKER_HOST}:{committed}", f"{DOCKER_HOST}:{port}")
    return value


def main(argv: list[str] | None = None) -> None:
    """Write infra/env.local.json for the ports `make run` uses (CATALOG_PORT, AWS_PORT)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--catalog-port", type=int, default=COMMITTED_CATALOG_PORT)
    parser.add_argument("--aws-port", type=int, default=COMMITTED_AWS_PORT)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    moved = for_ports(
        json.loads(ENV_VARS_FILE.read_text()),
        {COMMITTED_CATALOG_PORT: args.catalog_port, COMMITTED_AWS_PORT: args.aws_port},
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(moved, indent=2) + "\n")


if __name__ == "__main__":
    main()

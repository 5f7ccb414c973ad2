"""The environment of a fresh interpreter that imports the deployed modules, AWS out of reach."""

import os
from collections.abc import Mapping

from infra.local.aws_env import CREDENTIALS
from infra.local.processes import HOST, ROOT


def offline_env(base: Mapping[str, str], **extra: str) -> dict[str, str]:
    """`base` with functions/ and the repository on PYTHONPATH and boto3 pointed at a closed port
    with moto's dummy credentials (an entry module creates its clients; nothing calls them),
    then `extra`."""
    return {
        **base,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)]),
        "AWS_ENDPOINT_URL": f"http://{HOST}:9",
        **CREDENTIALS,
        **extra,
    }

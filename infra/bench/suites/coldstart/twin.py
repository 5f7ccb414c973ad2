"""The x86_64 twin of the Lambda artifact, as Lambda would run it: read-only, its own CPython 3.13,
and the environment template.yaml gives the function plus what the runtime adds."""

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.local.aws_env import ACCOUNT_ID, CREDENTIALS, REGION
from infra.local.intrinsics import Resolver, references
from infra.local.processes import HOST, ROOT
from infra.local.template import load_template

# `make build LAMBDA_ARCH=x86_64` (infra/sam.mk) builds it here.
TWIN_BUILD_DIR = ROOT / ".aws-sam" / "build-x86_64"
UV = ROOT / ".tools" / "bin" / "uv"
# A closed loopback port: anything that tries to leave the machine is refused at once.
CLOSED = f"http://{HOST}:9"
# Lambda's X-Ray header for a sampled request: tracing on, as the template deploys it.
TRACE_ID = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"


def lambda_python() -> str:
    """The CPython 3.13 the build compiles with (functions/Makefile finds it, one place)."""
    # make from PATH, as `make bench-coldstart` itself is run.
    command = ["make", "-s", "--no-print-directory", "-C", str(ROOT / "functions"), "lambda-python"]
    done = subprocess.run(  # noqa: S603 (our Makefile, our arguments)
        [*command, f"UV={UV}"],
        capture_output=True, text=True, check=False, env=_without_make(os.environ),
    )  # fmt: skip
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError("no CPython 3.13: see `make build` for how to get one")
    return done.stdout.strip().splitlines()[-1]


def _without_make(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without what an outer make passes down (its flags, goals and variables)."""
    outer = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES", "MAKEOVERRIDES")
    return {k: v for k, v in env.items() if k not in outer}


@contextmanager
def read_only_copy(function: str, build_dir: Path = TWIN_BUILD_DIR) -> Iterator[Path]:
    """A temporary copy of the function's artifact with every write bit cleared (as /var/task)."""
    source = build_dir / function
    if not (source / "handlers").is_dir():
        raise FileNotFoundError(f"{source} is not built: run `make build LAMBDA_ARCH=x86_64`")
    with tempfile.TemporaryDirectory(prefix="var-task-") as tmp:
        task = Path(tmp) / "task"
        shutil.copytree(source, task, symlinks=True)
        _chmod_tree(task, writable=False)
        try:
            yield task
        finally:
            _chmod_tree(task, writable=True)  # so the temporary directory can be removed


def _chmod_tree(root: Path, *, writable: bool) -> None:
    write = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        path.chmod((mode | stat.S_IWUSR) if writable else (mode & ~write))


def _properties(template: dict[str, Any], function: str) -> dict[str, Any]:
    properties: dict[str, Any] = template["Resources"][function]["Properties"]
    return properties


def template_environment(function: str) -> dict[str, str]:
    """The function's Environment.Variables (Globals first), resolved with the parameters'
    defaults; a resource it refers to (the queue, the table) gets a harmless local name."""
    template = load_template()
    resolver = Resolver(template)
    variables: dict[str, Any] = {
        **template.get("Globals", {})
        .get("Function", {})
        .get("Environment", {})
        .get("Variables", {}),
        **template["Resources"][function]["Properties"].get("Environment", {}).get("Variables", {}),
    }
    for name in references(variables) - set(resolver.values):
        resolver.created_resource(name, f"{CLOSED}/{name}", Arn=f"arn:aws:local:{name}")
    return {key: str(value) for key, value in resolver.resolve(variables).items()}


def lambda_environment(function: str, task: Path) -> dict[str, str]:
    """What a process in the function's execution environment sees, and nothing from ours."""
    props = _properties(load_template(), function)
    name = f"movie-api-{function}"
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "PYTHONPATH": str(task),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LAMBDA_TASK_ROOT": str(task),
        "_HANDLER": props["Handler"],
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(props.get("MemorySize", 128)),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/29/[$LATEST]coldstart",
        "AWS_LAMBDA_RUNTIME_API": f"{HOST}:9",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCOUNT_ID": ACCOUNT_ID,
        **CREDENTIALS,
        "AWS_SESSION_TOKEN": "testing",
        "AWS_ENDPOINT_URL": CLOSED,
        # Tracing: Active. Segments go to a UDP port nobody listens on.
        "AWS_XRAY_DAEMON_ADDRESS": f"{HOST}:2000",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "_X_AMZN_TRACE_ID": TRACE_ID,
        **template_environment(function),
        "CATALOG_URL": CLOSED,  # the first /movies is refused at once: its cost is the client's
    }

"""The entry modules' init, in a fresh interpreter: the worker imports only what a batch needs
(each module listed here once cost its cold start tens of milliseconds, docs/benchmarks.md "Cold
start as deployed"), and under the Lambda runtime both end with what init made frozen."""

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from infra.local.processes import ROOT
from tests.support.interpreter import offline_env

# Imported by nothing the worker runs: Powertools' batch utility (asyncio, every event data class,
# the parser's models), which handlers.batch replaces with a loop, and pydantic-settings (asyncio,
# argparse for its CLI source, dotenv), whose reading of the environment movies.settings does.
NOT_AT_INIT = (
    "aws_lambda_powertools.utilities.batch",
    "aws_lambda_powertools.utilities.data_classes",
    "aws_lambda_powertools.utilities.parser",
    "pydantic_settings",
    "argparse",
    "asyncio",
)
AFTER_INIT = """
import gc, importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps({"modules": sorted(sys.modules), "gc": gc.isenabled(),
                  "frozen": gc.get_freeze_count()}))
"""


def _init(module: str, **env: str) -> dict[str, Any]:
    """Import `module` in a fresh interpreter, as the Lambda runtime would with `env`."""
    env = offline_env(os.environ | env)
    done = subprocess.run(
        [sys.executable, "-c", AFTER_INIT, module],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_the_worker_init_imports_none_of_what_a_batch_does_not_need() -> None:
    modules = set(_init("handlers.worker")["modules"])
    assert "handlers.worker" in modules
    assert modules.isdisjoint(NOT_AT_INIT), sorted(modules & set(NOT_AT_INIT))


@pytest.mark.parametrize("module", ["handlers.worker", "handlers.api"])
def test_init_ends_with_the_collector_on_and_what_it_made_frozen(module: str) -> None:
    result = _init(module, _HANDLER=f"{module}.handler")
    assert result["gc"] is True
    assert result["frozen"] > 10_000


def test_outside_the_lambda_runtime_nothing_is_frozen() -> None:
    result = _init("handlers.worker")
    assert result["gc"] is True
    assert result["frozen"] == 0

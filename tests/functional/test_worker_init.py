"""The worker's init imports only what a batch needs: each module listed here cost its cold start
tens of milliseconds once (docs/benchmarks.md, "Cold start as deployed")."""

import json
import os
import subprocess
import sys

from infra.local.processes import HOST, ROOT

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
IMPORTED = "import sys, handlers.worker; print(json.dumps(sorted(sys.modules)))"


def test_the_worker_init_imports_none_of_what_a_batch_does_not_need() -> None:
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)]),
        "AWS_ENDPOINT_URL": f"http://{HOST}:9",  # the client is created, never called
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    done = subprocess.run(
        [sys.executable, "-c", f"import json; {IMPORTED}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    assert "handlers.worker" in modules
    assert modules.isdisjoint(NOT_AT_INIT), sorted(modules & set(NOT_AT_INIT))

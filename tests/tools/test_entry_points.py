"""Every command the Makefile and the docs run starts in a fresh interpreter from the repo root,
with no PYTHONPATH: the app's packages in functions/ are found however infra is started."""

import os
import subprocess
import sys

import pytest

from infra.local.processes import ROOT

COMMANDS = [
    ["-m", "infra.bench", "--help"],
    ["-m", "infra.soak.soak", "--help"],
    ["-m", "infra.catalog_sim", "--help"],
    ["-m", "infra.issuer", "--help"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv[1:]))
def test_the_command_starts_without_pythonpath(argv: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout

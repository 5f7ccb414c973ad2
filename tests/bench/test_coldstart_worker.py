"""The worker's first invocation in the cold-start bench: a fresh batch each run, on moto.

What each batch holds: tests/tools/test_bench_logic.py.
"""

import os
import subprocess
import sys

from infra.bench.suites.coldstart.measure import SUBJECTS, measure
from infra.bench.suites.worker.batches import BATCH
from infra.local.processes import ROOT


def test_the_worker_is_timed_through_its_first_batch() -> None:
    (worker,) = [subject for subject in SUBJECTS if subject.handler == "handlers.worker"]
    cold = measure(worker, runs=1)
    assert not cold.reason, cold.reason
    assert cold.names == (f"batch of {BATCH}",)
    assert cold.median_invocation_s(0) > 0
    assert cold.median_init_s > 0
    assert cold.median_floor_s > 0


def test_the_bench_driver_builds_batches_without_functions_on_its_path() -> None:
    # make bench-coldstart's driver runs from the repository root only: functions/ is what it
    # measures, from the artifact, never what it imports.
    code = (
        "import sys; from infra.bench.suites.coldstart.events import worker_batches; "
        "from infra.bench.suites.worker.batches import batch_event; batch_event(0); "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('movies', 'handlers')]"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr

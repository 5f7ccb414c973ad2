"""Never deployed: the local stack, its gateway and issuer, the simulator, soak and benchmarks.

infra drives the app in `functions/` (the Lambda artifact's root, where `movies` and `handlers`
are top-level packages) in-process, so every entry point (`python -m infra.bench`, `python -m
infra.soak.soak`, pytest) needs that folder importable; the child processes it starts get it
as PYTHONPATH (infra.local.services).
"""

import sys
from pathlib import Path

_FUNCTIONS = str(Path(__file__).resolve().parents[1] / "functions")
if _FUNCTIONS not in sys.path:
    sys.path.append(_FUNCTIONS)

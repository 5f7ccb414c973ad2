"""The entry module's init without the cyclic garbage collector, then what it made frozen.

Init allocates some 85,000 tracked objects (modules, classes, pydantic schemas, botocore's models)
that live as long as the environment. The collector's passes over them during init find almost
nothing to free (about 400 objects) and cost about 20 ms of a cold start. So the collector pauses
while the Lambda runtime loads the entry module that _HANDLER names, and `gc.freeze()` then moves
everything init made to the permanent generation: neither the first invocation nor any later
collection scans it. The few cycles init left behind stay (tens of kilobytes).

Only under the Lambda runtime (_HANDLER set, naming one of ours): a test or the local stack
importing these modules keeps its collector as it is.
"""

import gc
import os


def _entry_module() -> str:
    """The module of the Lambda handler ("handlers.worker" for handlers.worker.handler, and for
    handlers/worker.handler, which the runtime also accepts)."""
    return os.environ.get("_HANDLER", "").rpartition(".")[0].replace("/", ".")


def pause_for_init() -> None:
    """Pause the collector if the runtime is loading one of our entry modules."""
    if _entry_module().startswith("handlers."):
        gc.disable()


def init_done(module: str) -> None:
    """End of `module`'s init: if it is the entry module, freeze what init made and resume."""
    if module == _entry_module() and not gc.isenabled():
        gc.freeze()
        gc.enable()

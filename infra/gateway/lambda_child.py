"""Inside one execution environment: import the handler once (init), then serve one event at a time.

Runs in a process of its own, started with `spawn`; it imports only the standard library and,
for its init, the handler's module, as the Lambda runtime does. It speaks with its pool
(infra.gateway.environments) over one pipe:

- once, after init:        ("ready", init_ms)
- per invocation, in:      (event, context fields)  -- None: shut down
- per invocation, out:     (result or None, error or None, duration_ms, max_rss_kib)
"""

import importlib
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class Context:
    """The context object the runtime passes the handler (LambdaContext's attributes).

    Built here from the fields the pool sends, rather than unpickling infra's LocalContext, so
    that nothing but the handler's own modules is ever imported in an environment.
    """

    function_name: str
    function_version: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    deadline: float  # time.monotonic() when the function's timeout cuts the invocation

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's timeout."""
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def _load(handler: str) -> Handler:
    module, _, attribute = handler.rpartition(".")
    loaded: Handler = getattr(importlib.import_module(module), attribute)
    return loaded


def serve(conn: Connection, env: dict[str, str], handler: str) -> None:
    """The environment's life: init, then invocations until the pool closes the pipe."""
    os.environ.clear()
    os.environ.update(env)
    start = time.perf_counter()
    function = _load(handler)  # the cold start: an error here ends the process (the pool sees EOF)
    conn.send(("ready", (time.perf_counter() - start) * 1000))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        event, fields = message
        timeout_s = fields.pop("timeout_s")
        context = Context(**fields, deadline=time.monotonic() + timeout_s)
        result: dict[str, Any] | None = None
        error: str | None = None
        start = time.perf_counter()
        try:
            result = function(event, context)
        except Exception as exc:  # the runtime reports any error, and lives on
            traceback.print_exc()
            error = f"{type(exc).__name__}: {exc}"
        duration_ms = (time.perf_counter() - start) * 1000
        sys.stdout.flush()  # the function's output before the pool's REPORT line, as on Lambda
        max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        conn.send((result, error, duration_ms, max_rss_kib))

"""The stand-in's execution environments: started on demand, throttled, each invocation REPORTed.

An invocation takes an idle (warm) environment if there is one, else starts a new one (a cold
start) while fewer than `concurrency` exist, else is refused at once (Throttled), never queued:
the function's reserved concurrency is all it may use. Idle environments stay warm until close().
An environment whose process dies is discarded (InvocationFailed); the next invocation starts a
fresh one. After each invocation the platform's REPORT line goes to stdout, as Lambda writes it.

Each wait on an environment runs in a thread of its own (a pool of `concurrency` threads, so none
is ever queued behind another): the server's event loop never blocks.
"""

import asyncio
import contextlib
import dataclasses
import math
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any

from infra.gateway import lambda_child
from infra.gateway.function_config import FunctionConfig
from infra.local.lambda_runtime import LocalContext

# What an environment answers per invocation: result, error, duration (ms), peak RSS (KiB).
Outcome = tuple[dict[str, Any] | None, str | None, float, int]


class Throttled(Exception):
    """Every environment the function's concurrency allows is busy."""


class InvocationFailed(Exception):
    """The invocation returned no result: the function raised, or its environment died."""


@dataclass(frozen=True)
class Report:
    """What Lambda's REPORT line says about one invocation."""

    request_id: str
    duration_ms: float
    memory_mb: int
    max_rss_kib: int
    init_ms: float | None  # on an environment's first invocation only

    @property
    def billed_ms(self) -> int:
        """Duration rounded up to the millisecond; since 2025-08-01 Lambda bills INIT too."""
        return math.ceil(round(self.duration_ms, 2) + round(self.init_ms or 0.0, 2))

    @property
    def max_memory_mb(self) -> int:
        """The environment's peak resident set in whole MB (MiB, as Memory Size counts)."""
        return round(self.max_rss_kib / 1024)

    def line(self) -> str:
        """The line, tab-separated, as Lambda prints it."""
        fields = [
            f"REPORT RequestId: {self.request_id}",
            f"Duration: {self.duration_ms:.2f} ms",
            f"Billed Duration: {self.billed_ms} ms",
            f"Memory Size: {self.memory_mb} MB",
            f"Max Memory Used: {self.max_memory_mb} MB",
        ]
        if self.init_ms is not None:
            fields.append(f"Init Duration: {self.init_ms:.2f} ms")
        return "\t".join(fields)


class Environment:
    """One execution environment: a spawned process running lambda_child.serve."""

    def __init__(self, config: FunctionConfig) -> None:
        # spawn, not fork: the server's event loop and threads must not leak into environments.
        context = get_context("spawn")
        self._conn, child = context.Pipe()
        self.process: SpawnProcess = context.Process(
            target=lambda_child.serve, args=(child, config.env, config.handler), daemon=True
        )
        self._child_end: Connection | None = child
        self._init_ms: float | None = None
        self.started = False

    def start(self) -> None:
        """Spawn the process, wait for its init (blocking); InvocationFailed if it dies."""
        self.started = True
        self.process.start()
        if self._child_end is not None:
            self._child_end.close()  # else the pipe outlives the child, and its death goes unseen
            self._child_end = None
        _, self._init_ms = self._receive()

    def invoke(self, event: dict[str, Any], fields: dict[str, Any]) -> Outcome:
        """Send one event and wait for its outcome (blocking)."""
        try:
            self._conn.send((event, fields))
        except OSError as exc:
            raise InvocationFailed(f"environment {self.process.pid} is gone") from exc
        outcome: Outcome = self._receive()
        return outcome

    def take_init_ms(self) -> float | None:
        """The init duration, once: only the first invocation's REPORT carries it."""
        init_ms, self._init_ms = self._init_ms, None
        return init_ms

    def _receive(self) -> Any:
        try:
            return self._conn.recv()
        except (EOFError, OSError) as exc:
            code = self.process.exitcode
            raise InvocationFailed(f"environment {self.process.pid} died (exit {code})") from exc

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process.is_alive()

    def kill(self) -> None:
        """Terminate the process, then kill it if it outlives a short grace."""
        if self.process.pid is not None:
            self.process.terminate()
            self.process.join(2)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()

    def close(self) -> None:
        """Release the pipe (after kill)."""
        self._conn.close()


class EnvironmentPool:
    """Environments of one function, at most `concurrency` of them."""

    def __init__(self, config: FunctionConfig, concurrency: int) -> None:
        self.config = config
        self.concurrency = concurrency
        self._lock = threading.Lock()
        self._idle: list[Environment] = []  # most recently used last, reused first
        self._all: list[Environment] = []
        self._threads = ThreadPoolExecutor(concurrency, thread_name_prefix="lambda-invoke")
        self._closing = False

    def pids(self) -> list[int]:
        """The process id of every started environment, idle or busy."""
        with self._lock:
            return [e.process.pid for e in self._all if e.process.pid is not None]

    def busy(self) -> int:
        """How many environments are serving (or starting for) an invocation."""
        with self._lock:
            return len(self._all) - len(self._idle)

    async def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        """The function's result for `event`. Raises Throttled or InvocationFailed."""
        environment = self._acquire()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._serve, environment, event)

    def close(self) -> None:
        """Stop every environment, busy or idle, and leave no process behind (blocking)."""
        with self._lock:
            self._closing = True
            environments, self._all, self._idle = list(self._all), [], []
        for environment in environments:
            environment.kill()
        self._threads.shutdown(wait=True, cancel_futures=True)
        for environment in environments:
            environment.kill()  # one a thread was still starting when the first pass ran
            environment.close()

    def _acquire(self) -> Environment:
        with self._lock:
            while self._idle:
                environment = self._idle.pop()
                if environment.alive():
                    return environment
                self._all.remove(environment)  # died while idle: never given another event
                environment.close()
            if len(self._all) >= self.concurrency:
                raise Throttled(f"all {self.concurrency} environments are busy")
            environment = Environment(self.config)
            self._all.append(environment)
            return environment

    def _serve(self, environment: Environment, event: dict[str, Any]) -> dict[str, Any]:
        # In a worker thread: the environment is this invocation's until it is released here.
        context = event.get("requestContext") or {}
        # The REPORT line's id is the context's aws_request_id; the event's requestContext
        # carries the same one (events.to_event), so REPORT, logs and x-request-id all agree.
        request_id = str(context.get("requestId") or uuid.uuid4())
        fields = dataclasses.asdict(
            LocalContext(aws_request_id=request_id, memory_limit_in_mb=self.config.memory_mb)
        )
        fields["timeout_s"] = self.config.timeout_s
        try:
            if not environment.started:
                environment.start()
            result, error, duration_ms, max_rss_kib = environment.invoke(event, fields)
        except InvocationFailed:
            self._discard(environment)
            raise
        report = Report(
            request_id, duration_ms, self.config.memory_mb, max_rss_kib, environment.take_init_ms()
        )
        print(report.line(), flush=True)
        self._release(environment)
        if error is not None:
            raise InvocationFailed(error)
        if not isinstance(result, dict):
            raise InvocationFailed(f"the handler returned {type(result).__name__}, not a dict")
        return result

    def _release(self, environment: Environment) -> None:
        with self._lock:
            if environment in self._all:  # not if close() has taken it
                self._idle.append(environment)

    def _discard(self, environment: Environment) -> None:
        with self._lock:
            if environment in self._all:
                self._all.remove(environment)
            closing = self._closing
        environment.kill()
        with contextlib.suppress(OSError):
            environment.close()
        if not closing:
            pid = environment.process.pid
            print(f"environment {pid} died: discarded", file=sys.stderr, flush=True)

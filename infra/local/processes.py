"""Run processes as child process groups on loopback, wait until healthy, leave none behind.

While they run, a watcher restarts a stateless service that dies (at most RESTARTS_PER_MINUTE
times a minute) and says so in one line; a service that is not restarted, or dies too often, is
reported as down, in one line naming it and its exit code.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# Where the catalog simulator and moto listen: loopback, or 0.0.0.0 (`make sam-local-stack`) so
# a `sam local` container reaches them through host.docker.internal. Clients still use HOST.
BIND_HOST = os.environ.get("BIND_HOST", HOST)


@dataclass(frozen=True)
class Service:
    """One process of the stack and the URL that answers 200 once it is ready ("": none)."""

    name: str
    argv: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    quiet: bool = False  # discard its output (moto logs every call)
    # Started again if it dies: it holds nothing a restart would lose. Not moto, which holds
    # the queues and the table.
    restart: bool = False


# A service dying more often than this is not coming back by itself.
RESTARTS_PER_MINUTE = 3


def port_is_free(port: int) -> bool:
    """True if nothing listens on loopback `port` and it can be bound now."""
    with socket.socket() as sock:
        # As the servers bind: a port held only by connections closing (TIME_WAIT) is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((BIND_HOST, port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """Return a loopback TCP port that is free right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class LocalStack:
    """Runs services as child process groups; stopping leaves no process behind.

    Output goes to the terminal (or nowhere for a quiet service), or with `log_dir` to a file
    per service, `<log_dir>/<name>.out` (the bench keeps a JSON line per request there).
    """

    def __init__(
        self,
        services: list[Service],
        log_dir: Path | None = None,
        timeout_s: float = 30.0,
        watch_s: float = 0.25,
    ) -> None:
        self.services = services
        self.log_dir = log_dir
        self.timeout_s = timeout_s
        self.watch_s = watch_s
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._deaths: list[str] = []  # every service that exited while the stack ran
        self._down: dict[str, str] = {}  # service -> the line saying why it stays down
        self._restarts: dict[str, deque[float]] = {}
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        """Start every service, wait until each answers its health URL, then watch them."""
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            self._spawn(service, "wb")
        deadline = time.monotonic() + self.timeout_s
        for service in self.services:
            self._wait_healthy(service, deadline)
        self._watcher = threading.Thread(target=self._watch, name="stack-watcher", daemon=True)
        self._watcher.start()

    def exited(self) -> list[str]:
        """Names of services that exited since the start, restarted or not."""
        return list(dict.fromkeys(self._deaths))

    def down(self) -> list[str]:
        """One line per service that exited and was not restarted: the stack is broken."""
        return list(self._down.values())

    def stop(self, grace_s: float = 5.0) -> None:
        """Terminate each process group, then kill whatever outlives the grace period."""
        self._stopping.set()
        if self._watcher is not None:
            self._watcher.join()
        for proc in self.processes.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        for proc in self.processes.values():
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
        self.processes.clear()

    def __enter__(self) -> "LocalStack":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self, service: Service, mode: str) -> None:
        with self._output(service, mode) as out:
            self.processes[service.name] = subprocess.Popen(  # noqa: S603 (our own argv)
                service.argv,
                cwd=ROOT,
                env={**os.environ, **service.env},
                start_new_session=True,
                stdout=out,
                stderr=subprocess.STDOUT if out is not None else None,
            )

    def _watch(self) -> None:
        while not self._stopping.wait(self.watch_s):
            for service in self.services:
                proc = self.processes[service.name]
                if proc.poll() is None or service.name in self._down:
                    continue
                self._deaths.append(service.name)
                died = f"{service.name} exited with code {proc.returncode}"
                if self._may_restart(service):
                    print(f"{died}: restarting it", file=sys.stderr, flush=True)
                    self._spawn(service, "ab")
                elif service.restart:
                    self._down[service.name] = (
                        f"{died}, after {RESTARTS_PER_MINUTE} restarts within a minute"
                    )
                else:
                    self._down[service.name] = f"{died} (not restartable)"

    def _may_restart(self, service: Service) -> bool:
        if not service.restart:
            return False
        recent = self._restarts.setdefault(service.name, deque())
        now = time.monotonic()
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= RESTARTS_PER_MINUTE:
            return False
        recent.append(now)
        return True

    def _output(
        self, service: Service, mode: str
    ) -> contextlib.AbstractContextManager[IO[bytes] | int | None]:
        if self.log_dir is not None:
            return (self.log_dir / f"{service.name}.out").open(mode)
        return contextlib.nullcontext(subprocess.DEVNULL if service.quiet else None)

    def _wait_healthy(self, service: Service, deadline: float) -> None:
        proc = self.processes[service.name]
        if not service.health_url:
            return
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{service.name} exited with code {proc.returncode}")
            try:
                with urllib.request.urlopen(service.health_url, timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{service.name} not healthy at {service.health_url}")


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)

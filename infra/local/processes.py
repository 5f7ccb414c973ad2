"""Run processes as child process groups on loopback, wait until healthy, leave none behind."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
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
        self, services: list[Service], log_dir: Path | None = None, timeout_s: float = 30.0
    ) -> None:
        self.services = services
        self.log_dir = log_dir
        self.timeout_s = timeout_s
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self) -> None:
        """Start every service and wait until each answers its health URL."""
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            with self._output(service) as out:
                self.processes[service.name] = subprocess.Popen(  # noqa: S603 (our own argv)
                    service.argv,
                    cwd=ROOT,
                    env={**os.environ, **service.env},
                    start_new_session=True,
                    stdout=out,
                    stderr=subprocess.STDOUT if out is not None else None,
                )
        deadline = time.monotonic() + self.timeout_s
        for service in self.services:
            self._wait_healthy(service, deadline)

    def exited(self) -> list[str]:
        """Names of services whose process has ended."""
        return [name for name, proc in self.processes.items() if proc.poll() is not None]

    def stop(self, grace_s: float = 5.0) -> None:
        """Terminate each process group, then kill whatever outlives the grace period."""
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

    def _output(
        self, service: Service
    ) -> contextlib.AbstractContextManager[IO[bytes] | int | None]:
        if self.log_dir is not None:
            return (self.log_dir / f"{service.name}.out").open("wb")
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

"""Start and stop the local stack's processes: the catalog simulator and the API under uvicorn."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


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


def catalog_service(port: int, latency_ms: int) -> Service:
    """The catalog simulator on `port` with `latency_ms` per request."""
    argv = [sys.executable, "-m", "infra.catalog_sim", "--port", str(port)]
    return Service(
        "catalog",
        [*argv, "--latency-ms", str(latency_ms)],
        f"http://{HOST}:{port}/_health",
    )


def aws_service(port: int) -> Service:
    """moto in server mode: SQS and DynamoDB on loopback, no AWS account needed."""
    argv = [sys.executable, "-m", "infra.local.moto_server", "--host", HOST, "--port", str(port)]
    return Service("aws", argv, f"http://{HOST}:{port}/moto-api/", quiet=True)


def poller_service(number: int, env: dict[str, str]) -> Service:
    """One worker environment: polls the task queue and invokes the worker handler."""
    env = {
        "PYTHONPATH": str(ROOT / "functions"),
        "POWERTOOLS_SERVICE_NAME": "movie-api-worker",
        **env,
    }
    return Service(f"poller-{number}", [sys.executable, "-m", "infra.local.local_poller"], "", env)


def api_service(port: int, catalog_port: int, env: dict[str, str] | None = None) -> Service:
    """The API under uvicorn (uvloop, httptools), reading the catalog on `catalog_port`."""
    return uvicorn_service("api", "movies.app:create_app", port, catalog_port, env)


def lambda_service(port: int, catalog_port: int, env: dict[str, str] | None = None) -> Service:
    """The API through the real Lambda handler, behind a local API Gateway stand-in."""
    lambda_env = {
        # The spawned execution environments import handlers.api from functions/.
        "PYTHONPATH": str(ROOT / "functions"),
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "MovieApiLocal",
        **(env or {}),
    }
    return uvicorn_service(
        "lambda", "infra.local.lambda_server:LambdaServer", port, catalog_port, lambda_env
    )


def uvicorn_service(
    name: str, factory: str, port: int, catalog_port: int, env: dict[str, str] | None
) -> Service:
    """An app `factory` under uvicorn with the API's flags, reading the catalog at catalog_port."""
    argv = [sys.executable, "-m", "uvicorn", factory, "--factory"]
    argv += ["--app-dir", str(ROOT / "functions"), "--host", HOST, "--port", str(port)]
    argv += ["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--backlog", "2048"]
    return Service(
        name,
        argv,
        f"http://{HOST}:{port}/health",
        {
            "CATALOG_URL": f"http://{HOST}:{catalog_port}",
            "POWERTOOLS_SERVICE_NAME": os.environ.get("POWERTOOLS_SERVICE_NAME", "movie-api"),
            **(env or {}),
        },
    )


class LocalStack:
    """Runs services as child process groups; stopping leaves no process behind."""

    def __init__(self, services: list[Service]) -> None:
        self.services = services
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, timeout_s: float = 30.0) -> None:
        """Start every service and wait until each answers its health URL."""
        for service in self.services:
            self.processes[service.name] = subprocess.Popen(  # noqa: S603 (our own argv)
                service.argv,
                cwd=ROOT,
                env={**os.environ, **service.env},
                start_new_session=True,
                stdout=subprocess.DEVNULL if service.quiet else None,
                stderr=subprocess.DEVNULL if service.quiet else None,
            )
        deadline = time.monotonic() + timeout_s
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

"""`make run` / `make run-lambda`: start the local stack, print its URLs, stop it all on Ctrl-C.

With --lambda the API is served through the real Lambda handler (infra/gateway/lambda_server.py).
"""

import os
import signal
import sys
import time
from types import FrameType

from infra.local.processes import port_is_free
from infra.local.stack import running_stack

API_PORT = int(os.environ.get("API_PORT", "8000"))
CATALOG_PORT = int(os.environ.get("CATALOG_PORT", "8001"))
AWS_PORT = int(os.environ.get("AWS_PORT", "8002"))
ISSUER_PORT = int(os.environ.get("ISSUER_PORT", "8003"))
CATALOG_LATENCY_MS = int(os.environ.get("CATALOG_LATENCY_MS", "3000"))
LOG_FILE = os.environ.get("LOG_FILE", "request.log")
# The development issuer's key, kept across restarts so that its tokens (valid an hour) are too.
# moto keeps its queues and table in memory: ratings do not survive a restart.
ISSUER_KEY_FILE = os.environ.get("ISSUER_KEY_FILE", ".tools/state/issuer-key.json")
PORTS = {
    "API_PORT": API_PORT,
    "CATALOG_PORT": CATALOG_PORT,
    "AWS_PORT": AWS_PORT,
    "ISSUER_PORT": ISSUER_PORT,
}


def busy_ports(ports: dict[str, int]) -> list[str]:
    """One line per port of `ports` that something already listens on, naming its setting."""
    return [
        f"port {port} ({name}) is in use: stop what holds it, or run with {name}=<another port>"
        for name, port in ports.items()
        if not port_is_free(port)
    ]


def main() -> int:
    """Run until Ctrl-C, SIGTERM or a service dying; return the exit code."""

    def on_signal(signum: int, _: FrameType | None) -> None:
        # One stop only: `uv run` forwards the SIGTERM that `timeout` or a shell also sends to
        # the whole process group, and a second KeyboardInterrupt raised inside the stack's
        # shutdown would leave its processes running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    # Explicit, because a shell starting us in the background sets SIGINT to "ignore".
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    kind = "lambda" if "--lambda" in sys.argv[1:] else "uvicorn"
    if busy := busy_ports(PORTS):
        print("\n".join(busy), file=sys.stderr)
        return 2
    try:
        with running_stack(
            kind,
            api_port=API_PORT,
            catalog_port=CATALOG_PORT,
            aws_port=AWS_PORT,
            issuer_port=ISSUER_PORT,
            latency_ms=CATALOG_LATENCY_MS,
            api_env={"LOG_FILE": LOG_FILE},
            issuer_env={"ISSUER_KEY_FILE": ISSUER_KEY_FILE},
        ) as stack:
            print(
                f"\nAPI       {stack.api_url}  (docs: {stack.api_url}/docs)"
                f"{'  through the Lambda handler' if kind == 'lambda' else ''}\n"
                f"catalog   {stack.catalog_url}  ({CATALOG_LATENCY_MS} ms per request)\n"
                f"AWS       {stack.aws_url}  (moto: queue {stack.resources.queue_url})\n"
                f"issuer    {stack.issuer_url}  (key kept in {ISSUER_KEY_FILE})\n"
                f"worker    polling the queue, as Lambda's event source mapping would\n"
                f"log       {LOG_FILE}\n"
                "Ctrl-C stops everything.\n",
                flush=True,
            )
            # A stateless part that dies is restarted by the stack (one line says so); one that
            # stays down stops everything, with one line saying which and why.
            while not (down := stack.down()):
                time.sleep(0.5)
            print(f"stopping the stack: {'; '.join(down)}", file=sys.stderr, flush=True)
            return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make run` / `make run-lambda`: start the local stack, print its URLs, stop it all on Ctrl-C.

With --lambda the API is served through the real Lambda handler (infra/lambda_server.py).
"""

import os
import signal
import sys
import time
from types import FrameType

from infra.local_stack import HOST, LocalStack, api_service, catalog_service, lambda_service

API_PORT = int(os.environ.get("API_PORT", "8000"))
CATALOG_PORT = int(os.environ.get("CATALOG_PORT", "8001"))
CATALOG_LATENCY_MS = int(os.environ.get("CATALOG_LATENCY_MS", "3000"))
LOG_FILE = os.environ.get("LOG_FILE", "request.log")


def main() -> int:
    """Run until Ctrl-C, SIGTERM or a service dying; return the exit code."""
    through_lambda = "--lambda" in sys.argv[1:]
    serve_api = lambda_service if through_lambda else api_service
    stack = LocalStack(
        [
            catalog_service(CATALOG_PORT, CATALOG_LATENCY_MS),
            serve_api(API_PORT, CATALOG_PORT, {"LOG_FILE": LOG_FILE}),
        ]
    )

    def on_signal(signum: int, _: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Explicit, because a shell starting us in the background sets SIGINT to "ignore".
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start()
        print(
            f"\nAPI       http://{HOST}:{API_PORT}  (docs: http://{HOST}:{API_PORT}/docs)"
            f"{'  through the Lambda handler' if through_lambda else ''}\n"
            f"catalog   http://{HOST}:{CATALOG_PORT}  ({CATALOG_LATENCY_MS} ms per request)\n"
            f"log       {LOG_FILE}\n"
            "Ctrl-C stops everything.\n",
            flush=True,
        )
        while not (dead := stack.exited()):
            time.sleep(0.5)
        print(f"stopped: {', '.join(dead)} exited", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())

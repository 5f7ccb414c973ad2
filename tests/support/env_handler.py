"""A Lambda handler for the stand-in's tests: answers its environment, or crashes on demand."""

import os
from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Return the environment's variables and the context's request id; exit at once on "crash"."""
    if event.get("crash"):
        os._exit(70)  # as a segfault or an OOM kill would: no exception, no answer
    return {"env": dict(os.environ), "request_id": context.aws_request_id}

"""Run as a script in a fresh interpreter: import a Lambda handler, invoke it on one event.

    python invoke_handler.py handlers.api.handler event.json result.json

Needs nothing but PYTHONPATH=functions, as the Lambda runtime needs only the artifact, so a test
can run it with exactly the environment a function would get.
"""

import importlib
import json
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace


def main(handler_path: str, event_file: str, result_file: str) -> None:
    """Invoke `module.attribute` on the event in `event_file`; write its result to result_file."""
    module, _, attribute = handler_path.rpartition(".")
    handler = getattr(importlib.import_module(module), attribute)
    context = SimpleNamespace(
        function_name="sam-local",
        function_version="$LATEST",
        memory_limit_in_mb=1024,
        invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:sam-local",
        aws_request_id=str(uuid.uuid4()),
        get_remaining_time_in_millis=lambda: 20_000,
    )
    result = handler(json.loads(Path(event_file).read_text()), context)
    Path(result_file).write_text(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:4])

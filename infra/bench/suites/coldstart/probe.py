"""Runs inside the measured process (standard library only): import, time, invoke, print JSON.

    python -S -P probe.py MODULE[,MODULE...] [EVENT.json ...]

With events, the first module is a Lambda handler module: each event is one invocation of its
`handler`, in order, in this same process (the first is the cold one).
"""

import importlib
import json
import os
import sys
import time


class Context:
    """The LambdaContext the runtime passes, with the fields Powertools reads."""

    def __init__(self, request_id: str) -> None:
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "probe")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:probe"
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")

    def get_remaining_time_in_millis(self) -> int:
        """As if the invocation had just started (the template's 20 s timeout)."""
        return 20_000


def main(argv: list[str]) -> None:
    """Import the modules (timed), then invoke the first one's handler with each event."""
    modules, events = argv[0].split(","), argv[1:]
    start = time.perf_counter()
    loaded = [importlib.import_module(name) for name in modules]
    result: dict[str, object] = {"init_s": time.perf_counter() - start, "invocations": []}
    for index, path in enumerate(events):
        with open(path) as file:
            event = json.load(file)
        start = time.perf_counter()
        answer = loaded[0].handler(event, Context(f"probe-{index}"))
        elapsed = time.perf_counter() - start
        answer = answer if isinstance(answer, dict) else {}
        result["invocations"].append({  # type: ignore[attr-defined]
            "event": path, "s": elapsed, "status": answer.get("statusCode"),
            "failed_records": len(answer.get("batchItemFailures", [])),  # an SQS batch's
        })  # fmt: skip
    sys.stdout.flush()
    print("COLDSTART " + json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])

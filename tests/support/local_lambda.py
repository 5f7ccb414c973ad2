"""Lambda's Invoke at the boto3 boundary, served by handlers in this process: the answer, the
function error of a handler that raises, and the timeout of one that runs too long, each in the
shape Lambda's API gives them."""

import asyncio
import io
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from botocore.exceptions import ClientError
from botocore.response import StreamingBody

from infra.local.lambda_runtime import local_context

Handler = Callable[[dict[str, Any], Any], Any]


def _stream(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


class LocalLambda:
    """Answers Invoke for the qualified ARNs it knows, each served by its handler."""

    def __init__(self, handlers: dict[str, Handler], timeout_s: float = 20.0) -> None:
        self.handlers = handlers
        self.timeout_s = timeout_s
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._hung = threading.Event()  # set at close(): lets a handler that hangs finish
        # One thread with its own event loop, as one execution environment runs one invocation
        # after another on the runtime's thread (Mangum asks for the thread's loop); a thread,
        # so that a handler running too long can be given up on.
        self._environment = ThreadPoolExecutor(
            max_workers=1, initializer=lambda: asyncio.set_event_loop(asyncio.new_event_loop())
        )

    def invoke(self, *, FunctionName: str, InvocationType: str, Payload: bytes) -> dict[str, Any]:
        """What Lambda's Invoke returns for a RequestResponse call of `FunctionName`."""
        assert InvocationType == "RequestResponse"
        event = json.loads(Payload)
        self.calls.append((FunctionName, event))
        if FunctionName not in self.handlers:
            message = f"Function not found: {FunctionName}"
            raise ClientError(
                {"Error": {"Code": "ResourceNotFoundException", "Message": message}}, "Invoke"
            )
        version = FunctionName.rsplit(":", 1)[-1]
        context = local_context(function_version=version, invoked_function_arn=FunctionName)
        future = self._environment.submit(self.handlers[FunctionName], event, context)
        response: dict[str, Any] = {"StatusCode": 200, "ExecutedVersion": version}
        try:
            answer = json.dumps(future.result(timeout=self.timeout_s)).encode()
        except FutureTimeout:
            message = f"Task timed out after {self.timeout_s:.2f} seconds"
            answer = json.dumps({"errorType": "Sandbox.Timedout", "errorMessage": message}).encode()
            response["FunctionError"] = "Unhandled"
        except Exception as exc:  # what the runtime reports of an unhandled exception
            answer = json.dumps(
                {"errorType": type(exc).__name__, "errorMessage": str(exc)}
            ).encode()
            response["FunctionError"] = "Unhandled"
        return {**response, "Payload": _stream(answer)}

    def hang(self, event: dict[str, Any], context: Any) -> Any:
        """A handler that never answers (until close())."""
        self._hung.wait()

    def close(self) -> None:
        """Let every hanging handler return, and end the thread."""
        self._hung.set()
        self._environment.shutdown(wait=True)

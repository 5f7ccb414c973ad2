"""`make run-lambda`: HTTP on a local port, each request served by the real Lambda handler.

What `sam local start-api` does, minus the container, plus what it lacks (aws-sam-cli#6550): the
route's JWT authorizer, run as API Gateway runs it (infra.gateway.edge), its claims put into the
event where API Gateway puts them, and a bad token answered 401 without invoking the function.
Every request becomes an API Gateway HTTP API (payload 2.0) event, invoked on an execution
environment of infra.gateway.environments: started on demand up to LAMBDA_CONCURRENCY (the
function's reserved concurrency, default 10), refused beyond it, a REPORT line per invocation.
Each environment is configured as template.yaml configures ApiFunction (gateway.function_config).
"""

import asyncio
import os
import time
from typing import Any

from starlette.types import Receive, Scope, Send

from infra.gateway.app import gateway_log, local_authorizer, template_routes
from infra.gateway.edge import GATEWAY_LINE, authorize_event, decoded, send_answer
from infra.gateway.environments import EnvironmentPool, InvocationFailed, Throttled
from infra.gateway.events import HttpRequest, from_result, to_event
from infra.gateway.front import GatewayAnswer, front_of, joined, message_body
from infra.gateway.function_config import function_config
from infra.local.template import load_template

# The function's reserved concurrency, locally.
CONCURRENCY = int(os.environ.get("LAMBDA_CONCURRENCY", "10"))
# What an HTTP API answers when its Lambda integration fails: the function throttled, raised, or
# its environment died. AWS: "Troubleshooting issues with HTTP API Lambda integrations"
# (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html)
# and re:Post's "api-gateway-internal-server-error": 500 {"message":"Internal Server Error"}.
INTEGRATION_FAILED: dict[str, Any] = {
    "statusCode": 500,
    "headers": {"content-type": "application/json"},
    "body": message_body("Internal Server Error"),
    "isBase64Encoded": False,
}


class LambdaServer:
    """ASGI app that forwards every HTTP request to an execution environment."""

    def __init__(self, concurrency: int = CONCURRENCY) -> None:
        self.pool = EnvironmentPool(function_config(os.environ), concurrency)
        self.routes = template_routes()
        self.authorizer = local_authorizer()
        self.front = front_of(self.routes, load_template())
        self.log = gateway_log()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call: HTTP goes to Lambda; lifespan shuts the environments down."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        start = time.perf_counter()
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = joined(decoded(scope["headers"]))
        query = scope["query_string"].decode("latin-1")
        answer = self.front.answer(scope["method"], scope["path"], headers, query)
        invoked = False
        if answer is None:
            invoked, (status, out, content) = await self._invoke(scope, headers, body)
            answer = GatewayAnswer(status, self.front.finish(headers, out), content)
        await send_answer(send, answer)
        if not invoked:  # the function's own line is in the log already
            self.log.finished(scope, answer.status, start, os.urandom(16).hex(), **GATEWAY_LINE)

    async def _invoke(
        self, scope: Scope, headers: dict[str, str], body: bytes
    ) -> tuple[bool, tuple[int, list[tuple[str, str]], bytes]]:
        """Authorize and invoke: whether the function answered, and the answer."""
        request = HttpRequest(
            method=scope["method"],
            path=scope["path"],
            query=scope["query_string"].decode("latin-1"),
            headers=list(headers.items()),
            body=body,
        )
        event = to_event(request, "v2")
        result = authorize_event(self.routes, self.authorizer, event)
        if result is not None:
            return False, from_result(result)
        try:
            return True, from_result(await self.pool.invoke(event))
        except (Throttled, InvocationFailed):
            return False, from_result(INTEGRATION_FAILED)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(self.pool.close)
                await send({"type": "lifespan.shutdown.complete"})
                return

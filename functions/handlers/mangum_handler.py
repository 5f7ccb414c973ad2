"""Wraps the app for Lambda: Mangum, Powertools logging, metrics and tracing, non-HTTP events."""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi import FastAPI
from mangum import Mangum

from handlers.event_body import UndecodableBody, event_body
from handlers.gateway import GatewayScopeMiddleware, is_http_event
from movies.api.error_handlers import error_body

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]
IGNORED = {"ignored": True, "reason": "not an API Gateway HTTP request"}
Handler = TypeVar("Handler", bound=Callable[..., Any])


class HandlerTracer(Protocol):
    """A Powertools Tracer, or handlers.tracing.LazyTracer, which makes one on first use."""

    def capture_lambda_handler(self, lambda_handler: Handler) -> Handler:
        """`lambda_handler` inside the invocation's X-Ray segment."""
        ...


def lambda_handler(
    app: FastAPI,
    logger: Logger,
    metrics: Metrics,
    tracer: HandlerTracer | None = None,
    base_path: str = "",
) -> LambdaHandler:
    """Build the Lambda handler around `app`; call once per execution environment.

    `base_path` is the custom domain's API mapping key (API_BASE_PATH), "" for none.
    Without a tracer (tracing disabled), aws_xray_sdk is never imported: a third of a cold start.
    """
    # lifespan="off": Mangum would otherwise run startup and shutdown (closing the pool) every time.
    asgi = Mangum(GatewayScopeMiddleware(app, base_path), lifespan="off")

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        """Serve one API Gateway request; answer any other event plainly instead of raising."""
        logger.append_keys(function_version=context.function_version)
        if not is_http_event(event):
            keys = sorted(event)[:10] if isinstance(event, dict) else type(event).__name__
            logger.warning("not an API Gateway request; ignored", extra={"event_keys": keys})
            return dict(IGNORED)
        try:
            # Only a base64-flagged body can fail to decode; a plain one is not decoded here.
            if event.get("isBase64Encoded"):
                event_body(event)
        except UndecodableBody as exc:
            # Mangum would raise before the app runs, and the gateway answer a bare 502.
            logger.warning("body flagged base64 is not base64", extra={"error": str(exc)})
            return _bad_body(event)
        # Powertools and Mangum each type the same context object with their own protocol.
        return asgi(event, cast(Any, context))

    traced = tracer.capture_lambda_handler(handler) if tracer else handler
    observed = metrics.log_metrics(traced, capture_cold_start_metric=True)
    typed: LambdaHandler = logger.inject_lambda_context(
        observed, correlation_id_path=correlation_paths.API_GATEWAY_HTTP
    )
    return typed


def _bad_body(event: dict[str, Any]) -> dict[str, Any]:
    """The JSON 400 for an event whose body cannot be decoded, in the proxy result shape."""
    request_id = str(event.get("requestContext", {}).get("requestId", ""))
    detail = "the body is flagged base64 but is not valid base64"
    return {
        "statusCode": 400,
        "headers": {"content-type": "application/json", "x-request-id": request_id},
        "body": error_body("bad_request", detail, request_id).decode(),
        "isBase64Encoded": False,
    }

"""Wraps the app for Lambda: Mangum, Powertools logging, metrics and tracing, non-HTTP events."""

from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi import FastAPI
from mangum import Mangum

from handlers.gateway import GatewayScopeMiddleware, is_http_event

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]
Handler = TypeVar("Handler", bound=Callable[..., Any])


class HandlerTracer(Protocol):
    """A Powertools Tracer, or handlers.tracing.LazyTracer, which makes one on first use."""

    def capture_lambda_handler(self, lambda_handler: Handler) -> Handler:
        """`lambda_handler` inside the invocation's X-Ray segment."""
        ...


def lambda_handler(
    app: FastAPI, logger: Logger, metrics: Metrics, tracer: HandlerTracer | None = None
) -> LambdaHandler:
    """Build the Lambda handler around `app`; call once per execution environment.

    Without a tracer (tracing disabled), aws_xray_sdk is never imported: a third of a cold start.
    """
    # lifespan="off": Mangum would otherwise run startup and shutdown (closing the pool) every time.
    asgi = Mangum(GatewayScopeMiddleware(app), lifespan="off")

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        """Serve one API Gateway request; answer any other event plainly instead of raising."""
        logger.append_keys(function_version=context.function_version)
        if not is_http_event(event):
            keys = sorted(event)[:10] if isinstance(event, dict) else type(event).__name__
            logger.warning("not an API Gateway request; ignored", extra={"event_keys": keys})
            return {"ignored": True, "reason": "not an API Gateway HTTP request"}
        # Powertools and Mangum each type the same context object with their own protocol.
        return asgi(event, cast(Any, context))

    traced = tracer.capture_lambda_handler(handler) if tracer else handler
    observed = metrics.log_metrics(traced, capture_cold_start_metric=True)
    typed: LambdaHandler = logger.inject_lambda_context(
        observed, correlation_id_path=correlation_paths.API_GATEWAY_HTTP
    )
    return typed

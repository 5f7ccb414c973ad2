"""Lambda entry for the API: module-scope resources, built once and reused by warm invocations."""

from aws_lambda_powertools import Metrics, Tracer

from movies.app import create_app
from movies.lambda_entry import lambda_handler
from movies.lambda_metrics import latency_metric
from movies.observability import build_logger
from movies.settings import Settings

# Tracing is active on AWS and patches httpx, so catalog time shows in traces;
# POWERTOOLS_TRACE_DISABLED turns it off locally.
tracer = Tracer(patch_modules=("httpx",))
settings = Settings()
logger = build_logger(settings.log_file)  # LOG_FILE is unset on AWS; run-lambda sets it
metrics = Metrics()
app = create_app(settings, logger=logger, observers=(latency_metric(metrics),))
handler = lambda_handler(app, logger, metrics, tracer)

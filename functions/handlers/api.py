"""Lambda entry for the API: module-scope resources, built once and reused by warm invocations."""

import os

from aws_lambda_powertools import Metrics

from handlers.init_gc import init_done
from handlers.mangum_handler import lambda_handler
from handlers.metrics import EmfCounters, latency_metric
from handlers.snapstart import SnapshotHooks
from handlers.tracing import LazyTracer
from movies.catalog.fetchers import Fetcher, TracedFetcher, build_fetcher
from movies.main import build_app
from movies.observability import build_logger
from movies.settings import Settings

settings = Settings()
logger = build_logger(settings.log_file)  # LOG_FILE is unset on AWS; run-lambda sets it
metrics = Metrics()
tracer = None
fetcher: Fetcher = build_fetcher(settings)
if os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() not in {"1", "true"}:
    # Active on AWS, where each catalog call is a subsegment. The Tracer (aws_xray_sdk) is made
    # by the first invocation, or before the SnapStart snapshot: not by every cold start's init.
    tracer = LazyTracer()
    fetcher = TracedFetcher(fetcher, tracer)
app = build_app(
    settings,
    fetcher=fetcher,
    logger=logger,
    observers=(latency_metric(metrics),),
    counters=EmfCounters(metrics),
)
# The custom domain's API mapping key (template: BasePath), "" without one.
handler = lambda_handler(app, logger, metrics, tracer, os.environ.get("API_BASE_PATH", ""))
snapshot_hooks = SnapshotHooks(prepare=(tracer.get,) if tracer else ()).register()

init_done(__name__)  # the last line of init: what it made is frozen, the collector resumes

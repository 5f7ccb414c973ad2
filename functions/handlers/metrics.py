"""CloudWatch EMF metrics for each request served on Lambda."""

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from movies.api.middleware.access_log import RequestObserver, RequestRecord


def latency_metric(metrics: Metrics) -> RequestObserver:
    """Observer that records each request's latency by route and status class.

    One invocation serves one request, so the dimensions set here belong to this invocation's
    EMF blob only; log_metrics flushes and clears them when the handler returns.
    """

    def observe(record: RequestRecord) -> None:
        metrics.add_dimension("route", record.route or "unmatched")
        metrics.add_dimension("status_class", f"{record.status // 100}xx")
        metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=record.duration_ms)

    return observe


class EmfCounters:
    """Counters published as EMF Count metrics with the invocation's metrics."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def increment(self, name: str) -> None:
        """Add one to the metric `name`."""
        self._metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)

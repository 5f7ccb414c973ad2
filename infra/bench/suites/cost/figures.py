"""One route's figures (or the mix's) from the requests sent and the REPORT lines they matched."""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from infra.bench.harness.aws_calls import Usage
from infra.bench.harness.lambda_reports import Invocation
from infra.bench.harness.results import NAN, percentile
from infra.bench.suites.cost.costs import Cost, Costing, PerRequest, cost_per_million
from infra.bench.suites.cost.drive import Sent

MIX = "mix"


@dataclass(frozen=True)
class Counted:
    """Catalog calls and AWS usage, and over how many requests of the route they were counted."""

    requests: int
    catalog_calls: int
    usage: Usage

    def per_request(self, value: float) -> float:
        """`value` (a total over these requests) per request; NaN if none were counted."""
        return value / self.requests if self.requests else NAN


@dataclass(frozen=True)
class RouteFigures:
    """What one route (or the whole mix) billed in the measured pass."""

    route: str
    requests: int
    invoked: int  # requests with a REPORT line
    not_invoked: int  # answered without the function (throttled) or not at all
    non_2xx: int  # answers of the function that were not 2xx (429s, 5xx)
    billed_p50_ms: float
    billed_p99_ms: float
    billed_mean_ms: float
    cold_starts: int  # REPORT lines with an Init Duration
    latency_p50_ms: float  # as the client saw it
    counted: Counted
    cost: Cost  # per million requests

    @property
    def billed_per_request_ms(self) -> float:
        """Billed duration per request sent (one never invoked bills none)."""
        return self.billed_mean_ms * self.invoked / self.requests if self.invoked else 0.0

    @property
    def catalog_calls_per_1000(self) -> float:
        """Catalog calls per 1,000 requests."""
        return self.counted.per_request(self.counted.catalog_calls) * 1000


def _use(invocations: Sequence[Invocation], sent: int, counted: Counted) -> PerRequest:
    usage = counted.usage
    return PerRequest(
        billed_ms=sum(i.billed_ms for i in invocations) / sent,
        invocations=len(invocations) / sent,
        read_units=counted.per_request(usage.read_units),
        write_units=counted.per_request(usage.write_units),
        sqs_requests=counted.per_request(usage.sqs_requests),
        messages=counted.per_request(usage.messages),
    )


def route_figures(
    route: str,
    sent: Sequence[Sent],
    reports: dict[str, Invocation],
    counted: Counted,
    costing: Costing,
) -> RouteFigures:
    """The figures of `sent` (one route's requests, or all of them for the mix)."""
    invocations = [reports[s.request_id] for s in sent if s.request_id in reports]
    billed = sorted(float(i.billed_ms) for i in invocations)
    latencies = sorted(s.latency_ms for s in sent)
    return RouteFigures(
        route=route,
        requests=len(sent),
        invoked=len(invocations),
        not_invoked=len(sent) - len(invocations),
        non_2xx=sum(1 for s in sent if s.request_id in reports and not 200 <= s.status < 300),
        billed_p50_ms=statistics.median(billed) if billed else NAN,
        billed_p99_ms=percentile(billed, 99),
        billed_mean_ms=statistics.fmean(billed) if billed else NAN,
        cold_starts=sum(1 for i in invocations if i.cold),
        latency_p50_ms=statistics.median(latencies) if latencies else NAN,
        counted=counted,
        cost=cost_per_million(costing, _use(invocations, max(len(sent), 1), counted)),
    )

"""The capacity model: measured per-request figures scaled to a request rate, against each limit.

A model, not a measurement: each route's share, billed duration, dollars, messages, index
writes and catalog calls per request come from one bench-cost run; the limits from AWS's quotas
and the template. Environments follow Little's law (rate x mean billed duration). With the CDN,
a share CDN_HIT_RATIO of each public route's requests is answered at the edge (an assumption:
the local stack has no CDN to measure).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from infra.bench.suites.cost.figures import RouteFigures
from infra.bench.suites.cost.records import CostResults, ModeResults
from infra.bench.suites.cost.workload import PUBLIC_ROUTES

RATES = (10, 100, 1_000, 10_000)  # requests a second of the mix
SECONDS_PER_MONTH = 730 * 3600  # AWS's pricing month: 730 hours
CDN_HIT_RATIO = 0.9
# AWS's quotas (docs/capacity.md names the pages): API Gateway's throttle per account and Region
# across all its APIs; Lambda's concurrent executions per account and Region, of which 100 stay
# unreserved; DynamoDB's throughput per partition; CloudFront's requests per distribution.
API_GATEWAY_ACCOUNT_RPS = 10_000
ACCOUNT_CONCURRENCY = 1_000
UNRESERVED_MINIMUM = 100
PARTITION_WCU = 1_000
PARTITION_RCU = 3_000
CLOUDFRONT_RPS = 250_000
TRENDING_ROUTE = "GET /movies/trending"


@dataclass(frozen=True)
class RouteModel:
    """One route's measured figures per request, and its share of the mix."""

    route: str
    share: float
    public: bool
    billed_s: float
    usd: float
    messages: float
    index_writes: float
    trending_reads: float  # read units on the trending index partition
    catalog_calls: float

    @property
    def requests(self) -> float:
        """One request: per_rate of it is the requests that reach the API."""
        return 1.0


def route_models(routes: Sequence[RouteFigures]) -> list[RouteModel]:
    """Each route's figures per request, its share from the requests the pass sent."""
    total = sum(f.requests for f in routes) or 1
    models = []
    for f in routes:
        c, u = f.counted, f.counted.usage
        models.append(
            RouteModel(
                route=f.route,
                share=f.requests / total,
                public=f.route in PUBLIC_ROUTES,
                billed_s=f.billed_per_request_ms / 1000,
                usd=f.cost.total / 1e6,
                messages=c.per_request(u.messages),
                index_writes=c.per_request(u.index_writes),
                trending_reads=c.per_request(u.read_units) if f.route == TRENDING_ROUTE else 0.0,
                catalog_calls=c.per_request(c.catalog_calls),
            )
        )
    return models


@dataclass(frozen=True)
class MixModel:
    """The routes of one mode, and over how many partitions its trending index spreads."""

    routes: list[RouteModel]
    # Distinct partition keys the index held after the run: one ("ALL") before the counters
    # were sharded. Each partition takes 1,000 WCU and 3,000 RCU a second; spread evenly, the
    # index takes that many times more.
    index_partitions: int


def mix_model(mode: ModeResults) -> MixModel:
    """The model of one mode's measured routes."""
    return MixModel(route_models(mode.routes), max(1, mode.index_partitions))


def origin_fraction(route: RouteModel, cdn: bool) -> float:
    """The share of a route's requests that reach the API (all of them without the CDN)."""
    return 1 - CDN_HIT_RATIO if cdn and route.public else 1.0


def per_rate(routes: Sequence[RouteModel], field: str, cdn: bool) -> float:
    """`field` at the API, summed over the mix at one request a second."""
    return sum(r.share * origin_fraction(r, cdn) * float(getattr(r, field)) for r in routes)


@dataclass(frozen=True)
class Limit:
    """One limit the mix meets as it grows."""

    name: str
    unit: str
    per_rate: float  # the figure at one request a second of the mix
    limit: float  # math.inf: no limit known
    change: str  # what to change once it breaks; {need} is the figure to plan for
    divisor: float = 1.0  # need = ceil(figure / divisor) (environments from records a second)

    def figure(self, rate: float) -> float:
        """The figure at `rate` requests a second."""
        return rate * self.per_rate

    def broken(self, rate: float) -> bool:
        """True once the figure exceeds the limit."""
        return self.figure(rate) > self.limit

    def breaks_at(self) -> float:
        """The rate at which the figure reaches the limit (infinity if never)."""
        return self.limit / self.per_rate if self.per_rate > 0 else math.inf

    def advice(self, rate: float) -> str:
        """What to change at `rate`."""
        return self.change.format(need=f"{math.ceil(self.figure(rate) / self.divisor):,}")


def limits(results: CostResults, mix: MixModel, cdn: bool) -> list[Limit]:
    """Every limit of the model, in the order the page lists them."""
    t, routes, partitions = results.template, mix.routes, mix.index_partitions
    worker_rps = results.costing.worker_records_per_s
    origin = per_rate(routes, "requests", cdn)
    environments = per_rate(routes, "billed_s", cdn)
    cdn_limits = (
        [Limit("CloudFront requests per distribution", "req/s", 1.0, CLOUDFRONT_RPS,
               "ask AWS for a higher CloudFront request quota ({need} req/s)")]
        if cdn else []
    )  # fmt: skip
    return [
        *cdn_limits,
        Limit("HTTP API stage throttle (ThrottlingRateLimit)", "req/s", origin,
              t.stage_rate_limit, "raise ThrottlingRateLimit to {need} (and the burst with it)"),
        Limit("API Gateway account quota", "req/s", origin, API_GATEWAY_ACCOUNT_RPS,
              "ask AWS for a higher API Gateway quota ({need} req/s), or answer public reads at "
              "the CDN"),
        Limit("ApiReservedConcurrency", "environments", environments,
              t.api_reserved_concurrency, "raise ApiReservedConcurrency to {need}"),
        Limit("account concurrency (1,000, less the worker's and 100 unreserved)",
              "environments", environments,
              ACCOUNT_CONCURRENCY - UNRESERVED_MINIMUM - t.worker_reserved_concurrency,
              "ask AWS for a higher Lambda concurrency quota (the API needs {need})"),
        Limit("worker: MaximumConcurrency x records/s per environment", "messages/s",
              per_rate(routes, "messages", cdn), t.worker_max_concurrency * worker_rps,
              "raise the worker's SQS MaximumConcurrency and WorkerReservedConcurrency to {need}",
              worker_rps),
        Limit("DynamoDB trending index, writes (1,000 WCU/s a partition)", "WCU/s",
              per_rate(routes, "index_writes", cdn), PARTITION_WCU * partitions,
              "shard the trending key over {need} partitions, or sum impressions in the worker",
              PARTITION_WCU),
        Limit("DynamoDB trending index, reads (3,000 RCU/s a partition)", "RCU/s",
              per_rate(routes, "trending_reads", cdn), PARTITION_RCU * partitions,
              "cache /movies/trending (the CDN does), or shard the key over {need} partitions",
              PARTITION_RCU),
        Limit("the catalog", "calls/s", per_rate(routes, "catalog_calls", cdn), math.inf,
              "agree {need} calls/s with the catalog's owner, or cache longer"),
    ]  # fmt: skip


@dataclass(frozen=True)
class Step:
    """The model at one rate."""

    rate: float
    origin_rate: float  # requests that reach API Gateway
    environments: float
    usd_month: float
    broken: list[Limit]  # the limits exceeded, the first to break first


def step(results: CostResults, mix: MixModel, rate: float, cdn: bool) -> Step:
    """The model of `mix` at `rate` requests a second, with or without the CDN."""
    routes = mix.routes
    origin_usd = per_rate(routes, "usd", cdn)
    edge_usd = results.costing.prices.cloudfront_request.usd if cdn else 0.0
    broken = [lim for lim in limits(results, mix, cdn) if lim.broken(rate)]
    return Step(
        rate=rate,
        origin_rate=rate * per_rate(routes, "requests", cdn),
        environments=rate * per_rate(routes, "billed_s", cdn),
        usd_month=rate * SECONDS_PER_MONTH * (origin_usd + edge_usd),
        broken=sorted(broken, key=Limit.breaks_at),
    )

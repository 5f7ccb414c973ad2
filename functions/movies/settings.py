"""Configuration read from the environment, one class for every place the app runs."""

import os
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from movies.domain.trending import (
    COUNTED_PER_CALL,
    COUNTED_PER_WINDOW,
    WINDOW_HOURS,
    TrendingRules,
)

# API Gateway cuts every request at 29 s; the deadline must answer well before that.
API_GATEWAY_LIMIT_S = 29.0
# A claimed Idempotency-Key is held this much past the deadline (which ends every request): time
# for the request's own release write, and for clocks that differ between environments.
IDEMPOTENCY_LEASE_GRACE_S = 5.0


class Settings(BaseModel):
    """Runtime settings; each field maps to the upper-case environment variable of its name.

    Read as pydantic-settings' BaseSettings reads these plain fields (names in any case, keyword
    arguments before the environment, defaults validated) without pydantic-settings, whose import
    (asyncio, argparse for its CLI source, dotenv and a dozen other sources) cost each cold start
    about 25 ms.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, validate_default=True)

    catalog_url: str = "http://127.0.0.1:8001"
    request_deadline_s: float = Field(default=15.0, gt=0, lt=API_GATEWAY_LIMIT_S)
    catalog_connect_timeout_s: float = Field(default=2.0, gt=0)
    catalog_read_timeout_s: float = Field(default=10.0, gt=0)
    catalog_pool_timeout_s: float = Field(default=5.0, gt=0)
    # Sized so ab -c 500 never waits for a pooled connection.
    catalog_max_connections: int = Field(default=1000, ge=1)
    catalog_max_keepalive: int = Field(default=200, ge=0)
    # aiohttp moves the bytes behind the httpx API (several times faster under load); "httpx" is
    # httpx's own transport, kept for comparison.
    catalog_transport: Literal["aiohttp", "httpx"] = "aiohttp"
    # A catalog answer longer than this is refused (502), whatever its Content-Length says: a
    # best-rated page of 1,000 movies is about 100 KB.
    catalog_max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    # Seconds a catalog answer is reused, with concurrent misses coalesced; 0 turns caching off.
    # Off unless configured: template.yaml sets it (CatalogCacheTtl), and so do the local stacks.
    catalog_cache_ttl_s: float = Field(default=0.0, ge=0)
    # With a TTL, answers are also shared through the table by every environment
    # (movies.catalog.shared); the benchmarks that run without AWS turn that layer off.
    catalog_shared_cache: bool = True
    # The most one read or write of the shared layer may take, retries included, before the
    # request goes on without it: DynamoDB answers in milliseconds, so this bounds what an
    # outage costs (one read per missed page; after a failed read nothing is written).
    catalog_cache_timeout_s: float = Field(default=0.5, gt=0)
    log_file: str | None = None
    # /docs, /redoc and /openapi.json; the template turns them off in prod (EnableDocs).
    docs_enabled: bool = True
    # AWS: endpoint from AWS_ENDPOINT_URL (moto locally), credentials from the usual chain.
    queue_url: str = ""
    table_name: str = "movie-api"
    aws_connect_timeout_s: float = Field(default=1.0, gt=0)
    aws_read_timeout_s: float = Field(default=2.0, gt=0)
    # Bounded so that retries stay inside the request deadline.
    aws_max_attempts: int = Field(default=3, ge=1, le=5)
    # Per caller (the token's sub), counted in the table for the whole API; over them, 429.
    ratings_per_minute: int = Field(default=30, ge=1)
    recommendations_per_minute: int = Field(default=60, ge=1)
    # Trending (the worker's; movies.domain.trending): a user counts once per movie per window,
    # for the first few movies of each served list, and for at most so many movies a window.
    # Hours, at most a week: the window's record is kept 15 days past its end (movies.aws.trending).
    trending_window_hours: int = Field(default=WINDOW_HOURS, ge=1, le=168)
    # At most 50 (a served list's length), so one transaction holds at most 51 items.
    trending_counted_per_call: int = Field(default=COUNTED_PER_CALL, ge=1, le=50)
    # At most 500: the window's record lists them, and stays a small item (a few KB).
    trending_counted_per_window: int = Field(default=COUNTED_PER_WINDOW, ge=1, le=500)
    # Public answers (the catalog routes, trending): how long any cache may reuse one, then how
    # long it may still serve it while it revalidates in the background (RFC 5861).
    public_max_age_s: int = Field(default=60, ge=0)
    public_stale_while_revalidate_s: int = Field(default=300, ge=0)
    # How long an Idempotency-Key's answer is replayed (the IETF draft leaves it to the server;
    # Stripe keeps keys 24 h); after it, the key is processed anew.
    idempotency_ttl_s: int = Field(default=86_400, ge=1)
    # The deployment stage (the template's Stage); prod refuses a catalog reached over http.
    stage: str = "dev"

    def trending_rules(self) -> TrendingRules:
        """The worker's trending rules from these settings."""
        return TrendingRules(
            timedelta(hours=self.trending_window_hours),
            self.trending_counted_per_call,
            self.trending_counted_per_window,
        )

    @property
    def idempotency_lease_s(self) -> float:
        """How long a claimed key counts as in flight before a retry may take it over (20 s
        at the default deadline of 15 s)."""
        return self.request_deadline_s + IDEMPOTENCY_LEASE_GRACE_S

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, values: Any) -> Any:
        """Fields from the arguments, else from the environment, else their defaults."""
        fields = cls.model_fields
        environment = {k.lower(): v for k, v in os.environ.items() if k.lower() in fields}
        return environment | values if isinstance(values, dict) else values

    @model_validator(mode="after")
    def _https_in_prod(self) -> "Settings":
        if self.stage == "prod" and not self.catalog_url.startswith("https://"):
            raise ValueError("CATALOG_URL must be https:// when STAGE is prod")
        return self

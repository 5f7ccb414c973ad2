"""Configuration read from the environment, one class for every place the app runs."""

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    # Seconds a catalog answer is reused, with concurrent misses coalesced; 0 turns both off.
    catalog_cache_ttl_s: float = Field(default=0.0, ge=0)
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
    # How long an Idempotency-Key's answer is replayed (the IETF draft leaves it to the server;
    # Stripe keeps keys 24 h); after it, the key is processed anew.
    idempotency_ttl_s: int = Field(default=86_400, ge=1)
    # The deployment stage (the template's Stage); prod refuses a catalog reached over http.
    stage: str = "dev"

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

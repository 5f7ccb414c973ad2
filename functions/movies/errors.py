"""The API's errors: exceptions with a status and a stable name, raised by routes and adapters.

The catalog speaks its own errors (movies.catalog.errors); the API maps them to statuses.
"""


class ApiError(Exception):
    """An error with a status code and a stable machine-readable name."""

    status_code = 500
    error = "internal_error"
    headers: dict[str, str] | None = None

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class RetrySoon(ApiError):
    """An error the same request may well not meet a second later: Retry-After: 1."""

    status_code = 503
    headers = {"Retry-After": "1"}  # noqa: RUF012 (read-only class constant)


class QueueUnavailable(RetrySoon):
    """The work could not be enqueued, so it was not accepted; the client should retry."""

    error = "queue_unavailable"


class StoreUnavailable(RetrySoon):
    """The ratings table could not be read, or an Idempotency-Key checked or kept."""

    error = "store_unavailable"


class DeadlineExceeded(ApiError):
    """The request ran past its deadline."""

    status_code = 504
    error = "deadline_exceeded"


class RateLimited(ApiError):
    """The caller sent more than its limit in the current window."""

    status_code = 429
    error = "rate_limited"

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after_s)}


class IdempotencyKeyReused(ApiError):
    """The caller's Idempotency-Key was already used for a request with another body."""

    status_code = 422
    error = "idempotency_key_reused"


class IdempotencyKeyInFlight(RetrySoon):
    """A request with the caller's Idempotency-Key is still being processed."""

    status_code = 409
    error = "idempotency_key_in_flight"


class LimiterUnavailable(Exception):
    """The shared request counts could not be read or written."""


class CacheUnavailable(Exception):
    """The shared cache could not be read or written in time."""

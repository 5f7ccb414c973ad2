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


class QueueUnavailable(ApiError):
    """The work could not be enqueued, so it was not accepted; the client should retry."""

    status_code = 503
    error = "queue_unavailable"
    headers = {"Retry-After": "1"}  # noqa: RUF012 (read-only class constant)


class StoreUnavailable(ApiError):
    """The ratings table could not be read."""

    status_code = 503
    error = "store_unavailable"
    headers = {"Retry-After": "1"}  # noqa: RUF012 (read-only class constant)


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


class LimiterUnavailable(Exception):
    """The shared request counts could not be read or written."""


class CacheUnavailable(Exception):
    """The shared cache could not be read or written in time."""

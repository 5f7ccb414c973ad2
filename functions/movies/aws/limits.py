"""The RateLimiter on DynamoDB: one conditional counter per caller, action and window.

Every Lambda environment and every uvicorn worker counts in the same item, so a limit holds for
the whole API (an in-process counter would see one environment's traffic only). One UpdateItem
per request: ADD hits under the condition that the window still has room; a refused request
changes nothing. Items expire with the table's TTL an hour after their window ends.
"""

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from movies.aws.conditional import conditional_write
from movies.aws.table import limit_key
from movies.domain.limits import Limit
from movies.errors import LimiterUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# A window's item outlives it by this much before DynamoDB's TTL may remove it.
EXPIRY_GRACE_S = 3600


class DynamoRateLimiter:
    """Fixed-window limits per caller and action, counted in the table."""

    def __init__(
        self,
        client: Callable[[], "DynamoDBClient"],
        table_name: str,
        limits: Mapping[str, Limit],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client  # made on first use (aws.factories), shared with the store
        self._table = table_name
        self._limits = dict(limits)
        self._clock = clock

    async def acquire(self, caller: str, action: str) -> int:
        """Count one `action` of `caller`; 0 if within its limit, else seconds to wait."""
        limit = self._limits[action]
        now = self._clock()
        window = limit.window(now)
        refused = await conditional_write(
            lambda: self._count(caller, action, limit, window),
            lambda: LimiterUnavailable("the request counts could not be updated"),
        )
        return 0 if refused is None else limit.retry_after_s(now)

    def _count(self, caller: str, action: str, limit: Limit, window: int) -> None:
        self._client().update_item(
            TableName=self._table,
            Key={"pk": {"S": limit_key(caller)}, "sk": {"S": f"{action}#{window}"}},
            UpdateExpression="ADD hits :one SET expires_at = :expires",
            ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":limit": {"N": str(limit.requests)},
                ":expires": {"N": str((window + 1) * limit.window_s + EXPIRY_GRACE_S)},
            },
        )

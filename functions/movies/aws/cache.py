"""The SharedCache on DynamoDB: one item per cached answer, read by every environment.

DynamoDB's TTL deletes an expired item lazily (typically within days of its expires_at, not at
it), so every read checks the stored expiry itself: an expired item is a miss, and the next put
replaces it. Reads are eventually consistent, half the read units of a strong read: an item
written a moment before may be missed, which costs one more fetch at most.

Each call may take `timeout_s`, retries included, before it is CacheUnavailable: a cache is
worth waiting for only while it is much faster than the catalog. Making the client (boto3's
import, once per environment) is not counted against it.
"""

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from movies.aws.table import CACHE_SORT_KEY, cache_key
from movies.domain.ports import SharedEntry
from movies.errors import CacheUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# DynamoDB refuses an item over 400 KB, attribute names and values included (read here as
# 400,000 bytes, the stricter sense); a cache key is well under 1 KB, so the body may take all
# but 4 KB of it.
MAX_ITEM_BYTES = 400_000
MAX_VALUE_BYTES = MAX_ITEM_BYTES - 4 * 1024


class DynamoSharedCache:
    """Cached values under CATALOG#<key>, each with its expiry in the table's TTL attribute."""

    max_value_bytes = MAX_VALUE_BYTES

    def __init__(
        self, client: Callable[[], "DynamoDBClient"], table_name: str, timeout_s: float
    ) -> None:
        self._client = client  # made on first use (aws.factories), shared with the store
        self._table = table_name
        self._timeout_s = timeout_s

    async def get(self, key: str) -> SharedEntry | None:
        """The fresh entry under `key`, or None (absent, or past its stored expiry)."""
        response = await self._call(
            lambda client: client.get_item(TableName=self._table, Key=_key(key))
        )
        item = response.get("Item", {})
        if "body" not in item or "expires_at" not in item:
            return None
        expires_at = float(item["expires_at"]["N"])
        if expires_at <= time.time():
            return None
        return SharedEntry(item["body"]["B"], expires_at)

    async def put(self, key: str, value: bytes, expires_at: float) -> None:
        """Store `value` until `expires_at` (whole seconds, as DynamoDB's TTL reads them)."""
        item: dict[str, Any] = {
            **_key(key),
            "body": {"B": value},
            "expires_at": {"N": str(int(expires_at))},
        }
        await self._call(lambda client: client.put_item(TableName=self._table, Item=item))

    async def _call[T](self, request: Callable[["DynamoDBClient"], T]) -> T:
        """Run a blocking boto3 call on a thread; any failure of it is CacheUnavailable."""
        try:
            client = await asyncio.to_thread(self._client)
            async with asyncio.timeout(self._timeout_s):
                return await asyncio.to_thread(request, client)
        except (BotoCoreError, ClientError) as exc:
            raise CacheUnavailable(f"the shared cache failed: {exc}") from exc
        except TimeoutError as exc:
            raise CacheUnavailable(f"the shared cache took over {self._timeout_s} s") from exc


def _key(key: str) -> dict[str, Any]:
    return {"pk": {"S": cache_key(key)}, "sk": {"S": CACHE_SORT_KEY}}

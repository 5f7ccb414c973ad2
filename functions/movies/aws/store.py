"""The RatingStore on DynamoDB: the API's read side of the table (movies.aws.table)."""

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from movies.aws.table import TRENDING_INDEX, TRENDING_KEY, user_key
from movies.domain.models import Rating
from movies.errors import StoreUnavailable
from movies.lazy import Lazy

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

P = ParamSpec("P")
T = TypeVar("T")


class DynamoRatingStore:
    """Reads ratings and trending counters; every call runs on a thread, off the event loop."""

    def __init__(self, client: Callable[[], "DynamoDBClient"], table_name: str) -> None:
        self._client = Lazy(client)  # boto3 loads on the first read, not at cold start
        self._table = table_name

    async def ratings_for(self, user_id: str) -> list[Rating]:
        """Return the user's stored ratings, with when each was given."""
        items = await _off_loop(self._query_user, user_id)
        return [
            Rating(
                movie_id=int(item["sk"]["S"].removeprefix("MOVIE#")),
                stars=float(item["stars"]["N"]),
                rated_at=datetime.fromisoformat(item["rated_at"]["S"]),
            )
            for item in items
        ]

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        """Return (movie_id, impressions) for the most recommended movies, most first."""
        response = await _off_loop(
            lambda **kwargs: self._client.get().query(**kwargs),
            TableName=self._table,
            IndexName=TRENDING_INDEX,
            KeyConditionExpression="trending = :all",
            ExpressionAttributeValues={":all": {"S": TRENDING_KEY}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [
            (int(item["pk"]["S"].removeprefix("MOVIE#")), int(item["impressions"]["N"]))
            for item in response.get("Items", [])
        ]

    def _query_user(self, user_id: str) -> list[dict[str, Any]]:
        paginator = self._client.get().get_paginator("query")
        pages = paginator.paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": user_key(user_id)}},
        )
        return [item for page in pages for item in page.get("Items", [])]


async def _off_loop(call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking boto3 call on a thread; a failure is a 503, never a bare 500."""
    try:
        return await asyncio.to_thread(call, *args, **kwargs)
    except (BotoCoreError, ClientError) as exc:
        raise StoreUnavailable("the ratings table could not be read") from exc

"""The single DynamoDB table: its key design and the API's read side.

    item          pk               sk                  attributes
    rating        USER#<user_id>   MOVIE#<movie_id>    stars, rated_at, event_id
    impressions   MOVIE#<movie_id> IMPRESSIONS         impressions, trending ("ALL")
    processed     EVENT#<uuid>     EVENT               expires_at (TTL): the idempotency record

The by_impressions index (trending, impressions) answers "most recommended" with one query.
"""

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from movies.errors import StoreUnavailable
from movies.lazy import Lazy
from movies.ratings import Rating

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

P = ParamSpec("P")
T = TypeVar("T")
TRENDING_INDEX = "by_impressions"
TRENDING_KEY = "ALL"


def user_key(user_id: str) -> str:
    """Partition key of a user's ratings."""
    return f"USER#{user_id}"


def movie_key(movie_id: int) -> str:
    """Sort key of a rating, partition key of a movie's counter."""
    return f"MOVIE#{movie_id}"


def event_key(event_id: str) -> str:
    """Partition key of an idempotency record."""
    return f"EVENT#{event_id}"


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

"""The RatingStore on DynamoDB: the API's read side of the table (movies.aws.table)."""

import asyncio
import heapq
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from movies.aws.table import (
    TRENDING_INDEX,
    TRENDING_SHARDS,
    movie_id_of,
    movie_key,
    trending_shard,
    user_key,
)
from movies.domain.models import Rating, RatingsPage
from movies.errors import StoreUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoRatingStore:
    """Reads ratings and trending counters; every call runs on a thread, off the event loop."""

    def __init__(self, client: Callable[[], "DynamoDBClient"], table_name: str) -> None:
        # `client` makes the client on first use (aws.factories): boto3 loads then, not at init
        self._client = client
        self._table = table_name

    async def ratings_for(
        self, user_id: str, *, limit: int, after: int | None = None
    ) -> RatingsPage:
        """Return one page of the user's ratings in sort-key order, with when each was given.

        One Query of limit + 1 items: the extra one only tells whether another page exists.
        """
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": user_key(user_id)}},
            "Limit": limit + 1,
        }
        if after is not None:
            query["ExclusiveStartKey"] = {
                "pk": {"S": user_key(user_id)},
                "sk": {"S": movie_key(after)},
            }
        response = await _off_loop(lambda: self._client().query(**query))
        ratings = [
            Rating(
                movie_id=movie_id_of(item["sk"]["S"]),
                stars=float(item["stars"]["N"]),
                rated_at=datetime.fromisoformat(item["rated_at"]["S"]),
                genres=tuple(genre["S"] for genre in item.get("genres", {}).get("L", [])),
            )
            for item in response.get("Items", [])
        ]
        more = len(ratings) > limit
        return RatingsPage(ratings[:limit], ratings[limit - 1].movie_id if more else None)

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        """Return (movie_id, impressions) for the most recommended movies, most first.

        The counters are spread over TRENDING_SHARDS index partitions: one Query per shard, all
        at once, each for its own `limit` best (the best overall are among them), merged here.
        Ties are ordered by movie id.
        """
        pages = await asyncio.gather(
            *(self._shard(shard, limit) for shard in range(TRENDING_SHARDS))
        )
        counts = [
            (movie_id_of(item["pk"]["S"]), int(item["impressions"]["N"]))
            for page in pages
            for item in page
        ]
        return heapq.nsmallest(limit, counts, key=lambda count: (-count[1], count[0]))

    async def _shard(self, shard: int, limit: int) -> list[dict[str, Any]]:
        response = await _off_loop(
            lambda **kwargs: self._client().query(**kwargs),
            TableName=self._table,
            IndexName=TRENDING_INDEX,
            KeyConditionExpression="trending = :shard",
            ExpressionAttributeValues={":shard": {"S": trending_shard(shard)}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [dict(item) for item in response.get("Items", [])]


async def _off_loop[**P, T](call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking boto3 call on a thread; a failure is a 503, never a bare 500."""
    try:
        return await asyncio.to_thread(call, *args, **kwargs)
    except (BotoCoreError, ClientError) as exc:
        raise StoreUnavailable("the ratings table could not be read") from exc

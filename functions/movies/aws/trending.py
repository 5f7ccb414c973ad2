"""The worker's trending counts: a served list counts each movie once per user and window.

A user's movies counted in a window are one item (COUNTED#<user> / <window start>, a number
set). A message reads it, picks what it may count (movies.domain.trending), then in one
transaction adds those movies to the set, on the condition that none of them is in it yet and
the window has room, and adds 1 to each one's counter. So a counter moves only with its
movie's entry in the set, both or neither: a duplicate or retried message finds its movies
counted and writes nothing, and a transaction that fails half-way has changed nothing.
"""

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from movies.aws.table import COUNTER_SORT_KEY, counted_key, movie_key, trending_key
from movies.domain.messages import RecommendationsServed
from movies.domain.trending import DEFAULT_RULES, TrendingRules

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef, TransactWriteItemTypeDef

# SQS keeps a message at most 14 days (the DLQ); a window's record outlives its window by more,
# so no redelivery of a message of that window can find it gone and count again.
IDEMPOTENCY_TTL = timedelta(days=15)
# A transaction another message beat (the same user's set, or a counter in flight) is tried
# again on a fresh read; past this, the record fails and SQS brings it back later.
ATTEMPTS = 3
# Why a transaction was cancelled when another writer got there first; anything else raises.
_RACED = {"ConditionalCheckFailed", "TransactionConflict"}


class TrendingContention(RuntimeError):
    """The message's transaction lost every attempt to concurrent writers: retry it later."""


class TrendingCounter:
    """Counts served movies toward trending, once per (user, movie, window)."""

    def __init__(
        self, client: "DynamoDBClient", table_name: str, rules: TrendingRules = DEFAULT_RULES
    ) -> None:
        self._client = client
        self._table = table_name
        self._rules = rules

    def count(self, message: RecommendationsServed) -> bool:
        """Count the message's movies not yet counted for its user and window; False if none."""
        window = self._rules.window_start(message.occurred_at)
        key: dict[str, AttributeValueTypeDef] = {
            "pk": {"S": counted_key(message.user_id)},
            "sk": {"S": window.isoformat()},
        }
        expires = int((window + self._rules.window + IDEMPOTENCY_TTL).timestamp())
        for _ in range(ATTEMPTS):
            new = self._rules.to_count(message.movie_ids, self._counted(key))
            if not new:
                return False
            try:
                self._client.transact_write_items(
                    TransactItems=[self._record(key, new, expires), *map(self._counter, new)]
                )
            except ClientError as exc:
                if not set(_cancellation_codes(exc)) & _RACED:
                    raise
                continue  # read again: what is counted now decides
            return True
        raise TrendingContention(f"counting lost {ATTEMPTS} races for event {message.event_id}")

    def _counted(self, key: dict[str, "AttributeValueTypeDef"]) -> set[int]:
        # Strongly consistent: an eventually consistent read could miss the last message's
        # movies and only cost a cancelled transaction and another read.
        item = self._client.get_item(
            TableName=self._table, Key=key, ConsistentRead=True, ProjectionExpression="movies"
        ).get("Item", {})
        return {int(n) for n in item.get("movies", {}).get("NS", [])}

    def _record(
        self, key: dict[str, "AttributeValueTypeDef"], new: list[int], expires: int
    ) -> "TransactWriteItemTypeDef":
        """Add `new` to the window's set, only if none is in it and the window has room."""
        names = [f":m{i}" for i in range(len(new))]
        values: dict[str, AttributeValueTypeDef] = {
            name: {"N": str(movie_id)} for name, movie_id in zip(names, new, strict=True)
        }
        absent = " AND ".join(f"NOT contains(movies, {name})" for name in names)
        return {
            "Update": {
                "TableName": self._table,
                "Key": key,
                "UpdateExpression": "ADD movies :new SET expires_at = :expires",
                "ConditionExpression": "(attribute_not_exists(movies) OR size(movies) <= :before)"
                f" AND {absent}",
                "ExpressionAttributeValues": {
                    ":new": {"NS": [str(movie_id) for movie_id in new]},
                    ":expires": {"N": str(expires)},
                    ":before": {"N": str(self._rules.per_window - len(new))},
                    **values,
                },
            }
        }

    def _counter(self, movie_id: int) -> "TransactWriteItemTypeDef":
        return {
            "Update": {
                "TableName": self._table,
                "Key": {"pk": {"S": movie_key(movie_id)}, "sk": {"S": COUNTER_SORT_KEY}},
                "UpdateExpression": "ADD impressions :one SET trending = :shard",
                "ExpressionAttributeValues": {
                    ":one": {"N": "1"},
                    ":shard": {"S": trending_key(movie_id)},
                },
            }
        }


def _cancellation_codes(exc: ClientError) -> list[str]:
    if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return []
    response: dict[str, Any] = dict(exc.response)
    return [reason.get("Code", "None") for reason in response.get("CancellationReasons", [])]

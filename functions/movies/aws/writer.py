"""The worker's writes: each message changes the table at most once, however often it comes.

A rating is one conditional put, idempotent by its key. A served list counts toward trending
once per user, movie and window (movies.aws.trending): a redelivered or duplicated message
finds its movies counted and changes nothing.
"""

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from movies.aws.table import movie_key, user_key
from movies.aws.trending import TrendingCounter
from movies.domain.messages import Message, RatingSubmitted
from movies.domain.trending import DEFAULT_RULES, TrendingRules

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class EventWriter:
    """Applies messages to the table exactly once."""

    def __init__(
        self, client: "DynamoDBClient", table_name: str, rules: TrendingRules = DEFAULT_RULES
    ) -> None:
        self._client = client
        self._table = table_name
        self._trending = TrendingCounter(client, table_name, rules)

    def apply(self, message: Message) -> bool:
        """Apply one message; False if it changed nothing (a duplicate, or nothing new to count)."""
        if isinstance(message, RatingSubmitted):
            return self._rating(message)
        return self._trending.count(message)

    def _rating(self, message: RatingSubmitted) -> bool:
        # A rating is idempotent by its key: a redelivery rewrites the same values, so one
        # conditional put does it, without a transaction (half the write cost on DynamoDB).
        at = message.occurred_at.isoformat()
        try:
            old = self._client.put_item(
                TableName=self._table,
                Item={
                    "pk": {"S": user_key(message.user_id)},
                    "sk": {"S": movie_key(message.movie_id)},
                    "stars": {"N": str(message.stars)},
                    "rated_at": {"S": at},
                    "genres": {"L": [{"S": genre} for genre in message.genres]},
                    "event_id": {"S": str(message.event_id)},
                },
                # Latest wins, whatever order SQS delivers two ratings of one movie in.
                ConditionExpression="attribute_not_exists(pk) OR rated_at <= :at",
                ExpressionAttributeValues={":at": {"S": at}},
                ReturnValues="ALL_OLD",
            ).get("Attributes", {})
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False  # a newer rating is stored: nothing to change
            raise
        return old.get("event_id", {}).get("S") != str(message.event_id)

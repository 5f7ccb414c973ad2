"""The worker's writes: each message changes the table at most once, keyed on its event_id.

A rating is one conditional put, idempotent by its key. Impression counters are not idempotent,
so their increments go in one transaction with the event's idempotency record, created under
attribute_not_exists: a redelivered or duplicated message cancels itself and changes nothing.
"""

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from movies.aws.table import TRENDING_KEY, event_key, movie_key, user_key
from movies.domain.messages import Message, RatingSubmitted, RecommendationsServed

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# SQS keeps a message at most 14 days; an idempotency record must outlive every redelivery.
IDEMPOTENCY_TTL = timedelta(days=15)


class EventWriter:
    """Applies messages to the table exactly once."""

    def __init__(self, client: "DynamoDBClient", table_name: str) -> None:
        self._client = client
        self._table = table_name

    def apply(self, message: Message) -> bool:
        """Apply one message; False if its event_id was already applied (nothing changed)."""
        if isinstance(message, RatingSubmitted):
            return self._rating(message)
        return self._impressions(message)

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

    def _impressions(self, message: RecommendationsServed) -> bool:
        counters: list[TransactWriteItemTypeDef] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": {"pk": {"S": movie_key(movie_id)}, "sk": {"S": "IMPRESSIONS"}},
                    "UpdateExpression": "ADD impressions :one SET trending = :all",
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":all": {"S": TRENDING_KEY}},
                }
            }
            for movie_id in sorted(set(message.movie_ids))
        ]
        return self._once(message, counters)

    def _once(
        self, message: RecommendationsServed, writes: list["TransactWriteItemTypeDef"]
    ) -> bool:
        expires = int((message.occurred_at + IDEMPOTENCY_TTL).timestamp())
        marker: TransactWriteItemTypeDef = {
            "Put": {
                "TableName": self._table,
                "Item": {
                    "pk": {"S": event_key(str(message.event_id))},
                    "sk": {"S": "EVENT"},
                    "type": {"S": message.type},
                    "expires_at": {"N": str(expires)},
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        try:
            self._client.transact_write_items(TransactItems=[marker, *writes])
        except ClientError as exc:
            if _cancellation_codes(exc)[:1] == ["ConditionalCheckFailed"]:
                return False  # already applied
            raise
        return True


def _cancellation_codes(exc: ClientError) -> list[str]:
    if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return []
    response: dict[str, Any] = dict(exc.response)
    return [reason.get("Code", "None") for reason in response.get("CancellationReasons", [])]

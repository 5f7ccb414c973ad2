"""The IdempotencyStore on DynamoDB: each caller's keys in the shared table, one write per step.

Own code, not Powertools' idempotency utility, whose design it follows (a conditional put that
returns the old item when it fails, a payload hash, an in-progress expiry, a delete on failure):
- the utility is synchronous (IdempotencyHandler calls the function and boto3 inline); async
  support was declined because boto3 is synchronous (powertools-lambda-python#4483), and this
  route is a coroutine on a shared event loop under uvicorn;
- on a table keyed (pk, sk), its DynamoDBPersistenceLayer puts every record under one static
  partition key: one hot partition for all callers. Here each caller has its own (IDEM#<sub>),
  as the rate limiter has (LIMIT#<sub>), and IAM's dynamodb:LeadingKeys confines the API's
  writes to those items;
- its in-progress expiry needs a registered Lambda context (absent under uvicorn); without it
  the claim of a request that died stays in progress for the key's whole lifetime (24 h);
- it reads datetime.now() itself (tests could not move its clock) and takes a ready boto3
  client at construction, where this one shares the store's lazily made client (no boto3 at
  cold start, none captured by the SnapStart snapshot).

Steps: claim (PutItem if the key is free, else the old item decides: movies.domain.idempotency),
complete (UpdateItem adding the answer, only while the claim's token is still ours), release
(DeleteItem, likewise). Every record carries expires_at for the table's TTL; since TTL deletes
lazily (within days), the claim compares expires_at with the clock itself.
"""

import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from movies.aws.conditional import conditional_write
from movies.aws.table import idempotency_partition
from movies.domain.idempotency import Answer, Claimed, Conflict, KeyRecord, judge
from movies.errors import StoreUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

# judge()'s rule as a condition: no record, an expired one, or a claim whose lease is over.
_FREE = (
    "attribute_not_exists(pk) OR expires_at <= :now"
    " OR (attribute_not_exists(answer_status) AND locked_until <= :now)"
)
_OURS = "#token = :token"


class DynamoIdempotencyStore:
    """Idempotency-Keys per caller in the table; every call runs on a thread."""

    def __init__(
        self,
        client: Callable[[], "DynamoDBClient"],
        table_name: str,
        *,
        ttl_s: int,
        lease_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client  # made on first use (aws.factories), shared with the store
        self._table = table_name
        self._ttl_s = ttl_s
        self._lease_s = lease_s
        self._clock = clock

    async def claim(self, caller: str, key: str, fingerprint: str) -> Claimed | Answer | Conflict:
        """Take the key, or say what the live record of it answers."""
        now = self._clock()
        claim = Claimed(uuid.uuid4().hex)
        item: dict[str, AttributeValueTypeDef] = {
            **self._key(caller, key),
            "fingerprint": {"S": fingerprint},
            "token": {"S": claim.token},
            "locked_until": {"N": str(now + self._lease_s)},
            "expires_at": self._expiry(now),
        }
        old = await self._write(
            lambda: self._client().put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression=_FREE,
                ExpressionAttributeValues={":now": {"N": str(now)}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            ),
        )
        if old is None:
            return claim
        # The item the condition saw: judged at the same `now`, it is never free; without it
        # (ALL_OLD not returned), the key counts as taken.
        return judge(_record(old), fingerprint, now) or Conflict.IN_FLIGHT

    async def complete(self, caller: str, key: str, claim: Claimed, answer: Answer) -> bool:
        """Add `answer` to the claim, kept for the key's lifetime from now."""
        refused = await self._write(
            lambda: self._client().update_item(
                TableName=self._table,
                Key=self._key(caller, key),
                UpdateExpression=(
                    "SET answer_status = :status, answer_body = :body,"
                    " answer_location = :location, expires_at = :expires"
                ),
                ConditionExpression=_OURS,
                ExpressionAttributeNames={"#token": "token"},
                ExpressionAttributeValues={
                    ":token": {"S": claim.token},
                    ":status": {"N": str(answer.status)},
                    ":body": {"S": answer.body},
                    ":location": {"S": answer.location},
                    ":expires": self._expiry(self._clock()),
                },
            ),
        )
        return refused is None

    async def release(self, caller: str, key: str, claim: Claimed) -> None:
        """Delete the claim, unless another request has taken the key since."""
        await self._write(
            lambda: self._client().delete_item(
                TableName=self._table,
                Key=self._key(caller, key),
                ConditionExpression=_OURS,
                ExpressionAttributeNames={"#token": "token"},
                ExpressionAttributeValues={":token": {"S": claim.token}},
            ),
        )

    @staticmethod
    def _key(caller: str, key: str) -> dict[str, "AttributeValueTypeDef"]:
        return {"pk": {"S": idempotency_partition(caller)}, "sk": {"S": key}}

    def _expiry(self, now: float) -> "AttributeValueTypeDef":
        return {"N": str(int(now + self._ttl_s))}  # whole seconds: what DynamoDB's TTL reads

    async def _write(self, write: Callable[[], object]) -> dict[str, Any] | None:
        return await conditional_write(
            write, lambda: StoreUnavailable("the Idempotency-Key could not be checked or kept")
        )


def _record(item: dict[str, Any]) -> KeyRecord | None:
    if not item:
        return None
    answer = None
    if "answer_status" in item:
        answer = Answer(
            status=int(item["answer_status"]["N"]),
            body=item["answer_body"]["S"],
            location=item["answer_location"]["S"],
        )
    return KeyRecord(
        fingerprint=item["fingerprint"]["S"],
        token=item["token"]["S"],
        locked_until=float(item["locked_until"]["N"]),
        expires_at=float(item["expires_at"]["N"]),
        answer=answer,
    )

"""What the stack asked of AWS, from moto's recorder: each call, and the units AWS would bill.

moto in server mode records every request it serves while its recorder is on (a JSON line per
request: headers and body); the caller is the access key in the SigV4 Authorization header, so a
function given a key of its own can be told apart from the pollers and the bench.
"""

import base64
import json
import math
import re
import urllib.request
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d{8}/[^/]+/([^/]+)/")
# DynamoDB bills reads per 4 KB and writes per 1 KB; SQS a request per 64 KB of payload.
READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024
SQS_CHUNK_BYTES = 65536
_READS = {"GetItem", "Query", "Scan"}


@dataclass(frozen=True)
class AwsCall:
    """One recorded request."""

    caller: str  # the access key id it was signed with
    service: str  # the credential scope's service: dynamodb, sqs
    operation: str  # Query, SendMessage, ...
    body: dict[str, Any]


def _json_body(entry: dict[str, Any]) -> dict[str, Any]:
    raw = entry.get("body") or ""
    text = base64.b64decode(raw).decode() if entry.get("body_encoded") else raw
    try:
        body = json.loads(text) if text else {}
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def parse_recording(text: str) -> list[AwsCall]:
    """The signed JSON-protocol calls among moto's recorded lines (others are left out)."""
    calls = []
    for line in text.splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        headers = {k.lower(): v for k, v in entry.get("headers", {}).items()}
        credential = _CREDENTIAL.search(headers.get("authorization", ""))
        target = headers.get("x-amz-target", "")
        if credential is None or "." not in target:
            continue
        operation = target.rsplit(".", 1)[1]
        caller, service = credential.groups()
        calls.append(AwsCall(caller, service, operation, _json_body(entry)))
    return calls


class MotoRecorder:
    """moto's recorder on a running moto server (its file: MOTO_RECORDER_FILEPATH)."""

    def __init__(self, aws_url: str, timeout_s: float = 30.0) -> None:
        self.aws_url = aws_url.rstrip("/")
        self.timeout_s = timeout_s

    def _call(self, action: str, method: str = "POST") -> str:
        request = urllib.request.Request(  # noqa: S310 (loopback URL we built)
            f"{self.aws_url}/moto-api/recorder/{action}", method=method
        )
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
            text: str = response.read().decode()
            return text

    def restart(self) -> None:
        """Forget what was recorded and record from now on."""
        self._call("reset-recording")
        self._call("start-recording")

    def calls(self) -> list[AwsCall]:
        """Every call recorded since the last restart."""
        return parse_recording(self._call("download-recording", "GET"))


def _json_bytes(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def _binary_bytes(value: Any) -> int:
    # bytes from boto3; base64 text in a request's JSON.
    return len(value) if isinstance(value, bytes | bytearray) else len(base64.b64decode(value))


def value_bytes(value: dict[str, Any]) -> int:
    """The size DynamoDB gives a typed value ({"S": ...}, {"B": ...}, {"M": ...}), near enough:
    numbers are counted as their digits, and lists and maps as 3 bytes plus 1 an element."""
    [(kind, inner)] = value.items()
    if kind == "S":
        return len(str(inner).encode())
    if kind == "B":
        return _binary_bytes(inner)
    if kind in ("N", "BOOL", "NULL"):
        return len(str(inner)) if kind == "N" else 1
    if kind in ("SS", "NS"):
        return sum(len(str(member).encode()) for member in inner)
    if kind == "BS":
        return sum(_binary_bytes(member) for member in inner)
    if kind == "L":
        return 3 + sum(1 + value_bytes(member) for member in inner)
    if kind == "M":
        return 3 + sum(len(k.encode()) + 1 + value_bytes(v) for k, v in inner.items())
    return _json_bytes(inner)


def item_bytes(item: dict[str, Any]) -> int:
    """The size DynamoDB gives `item`: its attributes' names and values, in bytes."""
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def _write_units(item: dict[str, Any] | None) -> int:
    # An update's item is not in the request: counted as one unit (this app's items are small).
    return max(1, math.ceil(item_bytes(item) / WRITE_UNIT_BYTES)) if item else 1


def _touches(write: dict[str, Any], attributes: frozenset[str]) -> bool:
    """True if a Put's item or an Update's expression sets one of `attributes`."""
    if "Item" in write:
        return bool(attributes & set(write["Item"]))
    names = set(write.get("ExpressionAttributeNames", {}).values())
    tokens = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", write.get("UpdateExpression", "")))
    return bool(attributes & (names | tokens))


@dataclass(frozen=True)
class Usage:
    """What a set of calls costs in AWS's billing units."""

    calls: int = 0
    read_units: float = 0.0  # DynamoDB read request units
    write_units: float = 0.0  # DynamoDB write request units, index writes included
    index_writes: int = 0  # entries written to the index (its partition key is one value today)
    sqs_requests: int = 0  # billed SQS requests (one per 64 KB of each send)
    messages: int = 0  # messages sent
    operations: dict[str, int] = field(default_factory=dict)


def key_of(key: dict[str, Any]) -> str:
    """An item's key attributes as one string, to look its size up by."""
    return json.dumps(key, sort_keys=True, separators=(",", ":"))


Item = dict[str, Any]


def scan_items(dynamodb: "DynamoDBClient", table: str) -> list[Item]:
    """Every item of `table` (moto's: a few thousand at most after a bench run)."""
    pages = dynamodb.get_paginator("scan").paginate(TableName=table)
    return [dict(item) for page in pages for item in page.get("Items", [])]


def item_sizes(items: Iterable[Item], key_names: Sequence[str]) -> dict[str, int]:
    """Each item's size by key_of its key, so that a GetItem of it is billed by what it
    returned (a request does not say)."""
    return {key_of({name: item[name] for name in key_names}): item_bytes(item) for item in items}


def distinct_values(items: Iterable[Item], attribute: str) -> int:
    """How many distinct values `attribute` takes among `items` (an index's partitions)."""
    return len({key_of(item[attribute]) for item in items if attribute in item})


def _units(size: int) -> int:
    return max(1, math.ceil(size / READ_UNIT_BYTES))


def _read_units(operation: str, body: dict[str, Any], sizes: Mapping[str, int]) -> float:
    # An item read by its key is sized from `sizes` (items not there: up to 4 KB); a Query is
    # taken as returning at most 4 KB, as this app's queries do (a user's ratings, the top ten).
    factor = 1.0 if body.get("ConsistentRead") else 0.5
    if operation == "GetItem":
        return factor * _units(sizes.get(key_of(body.get("Key", {})), 0))
    if operation in _READS:
        return factor
    if operation == "BatchGetItem":
        keys = [k for t in body.get("RequestItems", {}).values() for k in t.get("Keys", [])]
        return sum(0.5 * _units(sizes.get(key_of(k), 0)) for k in keys)
    if operation == "TransactGetItems":
        return 2.0 * len(body.get("TransactItems", []))
    return 0.0


def _dynamodb_writes(operation: str, body: dict[str, Any]) -> list[tuple[dict[str, Any], int]]:
    """Each write of a call with its unit multiplier (2 inside a transaction)."""
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        return [(body, 1)]
    if operation == "BatchWriteItem":
        requests = [r for t in body.get("RequestItems", {}).values() for r in t]
        return [(r.get("PutRequest") or r.get("DeleteRequest") or {}, 1) for r in requests]
    if operation == "TransactWriteItems":
        items = body.get("TransactItems", [])
        return [(next(iter(item.values())), 2) for item in items if "ConditionCheck" not in item]
    return []


def usage(
    calls: Iterable[AwsCall],
    index_keys: frozenset[str] = frozenset(),
    sizes: Mapping[str, int] | None = None,
) -> Usage:
    """Billing units of `calls`, reads sized by `sizes` (item_sizes). A write that sets an
    attribute of `index_keys` (a global secondary index's keys) also writes the index: two
    entries, the old removed and the new put, each a write unit, since a counter that moves
    changes its index key."""
    reads = writes = 0.0
    index_writes = sqs = messages = 0
    operations: Counter[str] = Counter()
    count = 0
    for call in calls:
        count += 1
        operations[call.operation] += 1
        if call.service == "sqs":
            size = len(str(call.body.get("MessageBody", "")).encode())
            size += _json_bytes(call.body.get("MessageAttributes", {}))
            sqs += max(1, math.ceil(size / SQS_CHUNK_BYTES))
            messages += call.operation == "SendMessage"
            continue
        reads += _read_units(call.operation, call.body, sizes or {})
        for write, multiplier in _dynamodb_writes(call.operation, call.body):
            writes += multiplier * _write_units(write.get("Item"))
            if index_keys and _touches(write, index_keys):
                index_writes += 2
                writes += 2
    return Usage(count, reads, writes, index_writes, sqs, messages, dict(operations))

"""Idempotency keys as pure rules: what a key is, and what a repeated request gets (no I/O)."""

import enum
import hashlib
import re
from dataclasses import dataclass

MAX_KEY_LENGTH = 255
# The IETF draft's value is a structured-field String (RFC 8941 3.3.3: printable ASCII in
# quotes, with \" and \\ escaped); Stripe's clients send the bare value. A bare value is visible
# ASCII without a quote or a comma: API Gateway joins two headers of one name with a comma,
# and the draft forbids sending two. Either form, 1 to 255 characters.
KEY_PATTERN = (
    rf'^(?:"(?:[ !#-\[\]-~]|\\["\\]){{1,{MAX_KEY_LENGTH}}}"'
    rf"|[!#-+\--~]{{1,{MAX_KEY_LENGTH}}})$"
)
_KEY = re.compile(KEY_PATTERN)
_ESCAPED = re.compile(r"\\(.)")


def parse_key(value: str) -> str:
    """The key an Idempotency-Key header value names: `"abc"` and `abc` both name `abc`."""
    if not _KEY.fullmatch(value):
        raise ValueError(
            f"must be a quoted string or a bare value of 1 to {MAX_KEY_LENGTH} visible ASCII "
            "characters (a bare value without quotes or commas)"
        )
    return _ESCAPED.sub(r"\1", value[1:-1]) if value.startswith('"') else value


def fingerprint(operation: str, body: str) -> str:
    """What a repeat must match: the operation and its canonical body, hashed."""
    return hashlib.sha256(f"{operation}\n{body}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer a keyed request got, as a replay gives it again."""

    status: int
    body: str
    location: str


@dataclass(frozen=True, slots=True)
class Claimed:
    """The key is this request's to process; `token` proves it when completing or releasing."""

    token: str


class Conflict(enum.Enum):
    """Why a keyed request may not be processed."""

    REUSED = "the key was used with another body"
    IN_FLIGHT = "a request with the key is still being processed"


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """What the store holds for one caller's key (epoch seconds)."""

    fingerprint: str
    token: str
    locked_until: float
    expires_at: float
    answer: Answer | None = None


def judge(
    record: KeyRecord | None, request_fingerprint: str, now: float
) -> Answer | Conflict | None:
    """What a request gets from its key's `record` at `now`: None when it may claim the key.

    An expired record, or a claim whose request died without answering (its lease is over), is
    as if it never was. The store's conditional write states the same rule for the claim itself.
    """
    if record is None or record.expires_at <= now:
        return None
    if record.answer is None and record.locked_until <= now:
        return None
    if record.fingerprint != request_fingerprint:
        return Conflict.REUSED
    return record.answer or Conflict.IN_FLIGHT

"""The Idempotency-Key header: a keyed request is processed at most once per caller and key.

The contract is the IETF draft's (draft-ietf-httpapi-idempotency-key-header): a repeat with the
same body gets the first answer again, marked `Idempotent-Replayed: true`; another body is 422
`idempotency_key_reused`; a repeat while the first is processed is 409
`idempotency_key_in_flight`. Only a success is kept as the answer. The draft would replay an
error too, but every error this route can give once it holds the key is either transient (502,
503, 504: kept, it would answer every retry for the key's lifetime and defeat the retry the key
exists for) or one that queued nothing and that processing again gives again (404): so a failed
request releases its key, and a retry processes it anew. Refusals before the key is read (401,
422, 429) touch no key at all.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from fastapi import Depends, Header, Request, Response
from pydantic import AfterValidator, BaseModel

from movies.api.deps import AppCounters, AppLogger, Idempotency
from movies.api.identity import CurrentUser
from movies.domain.idempotency import (
    KEY_PATTERN,
    MAX_KEY_LENGTH,
    Answer,
    Claimed,
    Conflict,
    fingerprint,
    parse_key,
)
from movies.domain.ports import Counters, IdempotencyStore
from movies.errors import IdempotencyKeyInFlight, IdempotencyKeyReused, StoreUnavailable

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# A release that DynamoDB is slow to make is left to the claim's lease (movies.settings):
# it must not hold the error answer, nor a 504 at the deadline, for seconds of retries.
RELEASE_WAIT_S = 1.0

_DESCRIPTION = (
    "Makes the request safe to retry. The same key with the same body within the key's "
    "lifetime (`IDEMPOTENCY_TTL_S`, 24 hours by default) gets the first answer again, with "
    f"`{REPLAYED_HEADER}: true`, "
    "and queues nothing; with another body, 422 `idempotency_key_reused`; while the first "
    "request is still processed, 409 `idempotency_key_in_flight`. A failed request keeps "
    "nothing: retry it with the same key. Keys are the caller's own. A quoted string "
    f'(`"8e03978e-40d5-43e8-bc93-6894a57f9324"`) or a bare value, 1 to {MAX_KEY_LENGTH} '
    "characters; a UUID is recommended."
)


def _header_schema(schema: dict[str, Any]) -> None:
    # A header is a string or absent, never null: the spec says so, and which values are keys.
    schema.pop("anyOf", None)
    schema.update(type="string", pattern=KEY_PATTERN)


IdempotencyKey = Annotated[
    Annotated[str, AfterValidator(parse_key)] | None,
    Header(
        alias=IDEMPOTENCY_KEY_HEADER, description=_DESCRIPTION, json_schema_extra=_header_schema
    ),
]

# The 202's headers, for the spec: where the rating will show, and whether this is a replay.
ACCEPTED: dict[str, Any] = {
    "description": "Queued; it shows up at `Location` once the worker has stored it",
    "headers": {
        "Location": {"description": "The caller's ratings", "schema": {"type": "string"}},
        REPLAYED_HEADER: {
            "description": f"`true` when this is the first answer to the {IDEMPOTENCY_KEY_HEADER}"
            " again: nothing was queued this time",
            "schema": {"type": "string", "enum": ["true"]},
        },
    },
}

Work = Callable[[], Awaitable[Answer]]


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """One request, with or without its caller's Idempotency-Key."""

    store: IdempotencyStore
    caller: str
    key: str | None
    operation: str
    response: Response
    logger: Logger
    counters: Counters

    async def once(self, body: BaseModel, work: Work) -> Answer:
        """`work`'s answer, or the first answer to this key; either is set on the response."""
        if self.key is None:
            return self._answer(await work())
        outcome = await self.store.claim(
            self.caller, self.key, fingerprint(self.operation, body.model_dump_json())
        )
        if outcome is Conflict.REUSED:
            raise IdempotencyKeyReused(f"this {IDEMPOTENCY_KEY_HEADER} was used with another body")
        if outcome is Conflict.IN_FLIGHT:
            raise IdempotencyKeyInFlight(
                f"a request with this {IDEMPOTENCY_KEY_HEADER} is still being processed"
            )
        if isinstance(outcome, Answer):
            self.response.headers[REPLAYED_HEADER] = "true"
            return self._answer(outcome)
        try:
            answer = await work()
        except BaseException:  # a cancellation (the deadline) too: nothing was answered
            await self._release(outcome)
            raise
        await self._complete(outcome, answer)
        return self._answer(answer)

    def _answer(self, answer: Answer) -> Answer:
        self.response.status_code = answer.status
        self.response.headers["Location"] = answer.location
        return answer

    async def _complete(self, claim: Claimed, answer: Answer) -> None:
        # The work is done (the message queued): whatever happens to the record, the client gets
        # its answer. A record not kept leaves the claim to its lease; a retry after that would
        # queue again, and the worker stores the same rating (one item per user and movie).
        assert self.key is not None
        try:
            kept = await self.store.complete(self.caller, self.key, claim, answer)
        except StoreUnavailable as exc:
            kept = False
            self.logger.warning("idempotency answer not kept", extra={"detail": str(exc)})
        if not kept:
            self.counters.increment("IdempotencyAnswerNotKept")

    async def _release(self, claim: Claimed) -> None:
        assert self.key is not None
        try:
            await asyncio.wait_for(self.store.release(self.caller, self.key, claim), RELEASE_WAIT_S)
        except (StoreUnavailable, TimeoutError) as exc:
            self.logger.warning("idempotency key not released", extra={"detail": str(exc)})


async def _keyed(
    caller: CurrentUser,
    request: Request,
    response: Response,
    store: Idempotency,
    logger: AppLogger,
    counters: AppCounters,
    key: IdempotencyKey = None,
) -> KeyedRequest:
    route: Any = request.scope.get("route")
    operation = f"{request.method} {getattr(route, 'path', request.url.path)}"
    return KeyedRequest(store, caller, key, operation, response, logger, counters)


Keyed = Annotated[KeyedRequest, Depends(_keyed)]

"""The message contract between the API and the worker: versioned, one model per type."""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

# The queue's MaximumMessageSize (template.yaml). moto does not enforce it, so the producer does.
MAX_MESSAGE_BYTES = 262_144
Stars = Annotated[float, Field(ge=0.5, le=5.0, multiple_of=0.5)]
# A token's subject: Cognito's are 36-character UUIDs, other issuers' longer.
MAX_USER_ID_LENGTH = 128
UserId = Annotated[str, Field(min_length=1, max_length=MAX_USER_ID_LENGTH)]


class _Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    version: Literal[1] = 1


class RatingSubmitted(_Envelope):
    """A user rated a movie; must be stored exactly once."""

    type: Literal["RatingSubmitted"] = "RatingSubmitted"
    user_id: UserId
    movie_id: int = Field(ge=1)
    stars: Stars
    # The movie's genres when it was rated, kept with the rating for the user's taste. Optional,
    # so messages from before it still decode (deploy the worker first: the envelope forbids
    # fields it does not know).
    genres: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=20
    )


class RecommendationsServed(_Envelope):
    """A recommendation list was served; counts one impression per movie (best effort)."""

    type: Literal["RecommendationsServed"] = "RecommendationsServed"
    user_id: UserId
    movie_ids: list[int] = Field(max_length=50)
    duration_ms: float = Field(ge=0)


Message = RatingSubmitted | RecommendationsServed
_MESSAGE: TypeAdapter[Message] = TypeAdapter(Annotated[Message, Field(discriminator="type")])


class MessageTooLarge(ValueError):
    """The encoded message exceeds the queue's size limit."""


def encode(message: Message) -> str:
    """Serialize a message, refusing one larger than the queue accepts (counted in bytes)."""
    body = message.model_dump_json()
    size = len(body.encode())
    if size > MAX_MESSAGE_BYTES:
        raise MessageTooLarge(f"message is {size} bytes; the queue takes {MAX_MESSAGE_BYTES}")
    return body


def decode(body: str) -> Message:
    """Parse a message body; raises pydantic.ValidationError for an invalid or unknown one."""
    return _MESSAGE.validate_json(body)

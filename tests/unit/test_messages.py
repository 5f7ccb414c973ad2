"""Messages for the task queue: one over SQS's size limit (in bytes) is refused before sending."""

import uuid
from datetime import UTC, datetime

import pytest

from movies.domain.messages import MessageTooLarge, RecommendationsServed, encode


def test_oversized_message_is_refused_before_sending() -> None:
    huge = RecommendationsServed.model_construct(
        event_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        version=1,
        type="RecommendationsServed",
        user_id="x" * 300_000,
        movie_ids=[],
        duration_ms=1.0,
    )
    with pytest.raises(MessageTooLarge):
        encode(huge)

"""Conditional DynamoDB writes off the event loop: a failed condition is an answer, not an error."""

import asyncio
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError


async def conditional_write(
    write: Callable[[], object], unavailable: Callable[[], Exception]
) -> dict[str, Any] | None:
    """Run `write` on a thread: None if it was made, else the item that failed its condition
    (what ReturnValuesOnConditionCheckFailure returned, {} without it). Any other boto3 failure
    raises `unavailable()`, chained to it."""
    try:
        # On a thread, client creation included: boto3 loads there, off the event loop.
        await asyncio.to_thread(write)
    except ClientError as exc:
        response: dict[str, Any] = dict(exc.response)
        if response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return dict(response.get("Item", {}))
        raise unavailable() from exc
    except BotoCoreError as exc:
        raise unavailable() from exc
    return None

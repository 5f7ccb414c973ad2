"""The app the fuzz suites drive: the real factory, with the catalog, store and queue faked.

Each fault names one way the app's collaborators can fail, so a suite can build the same app
healthy or broken and check what it answers either way.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from movies.domain.idempotency import Answer, Claimed, Conflict
from movies.domain.messages import Message
from movies.domain.models import RatingsPage
from movies.errors import StoreUnavailable
from movies.settings import Settings
from tests.support.apps import CATALOG_URL, app_with_fakes, behind_test_gateway
from tests.support.fake_catalog import FakeCatalog
from tests.support.fakes import InMemoryIdempotencyStore, InMemoryRatingStore, InMemoryTaskQueue
from tests.support.tokens import bearer

# The request limits the app promises (docs/guarantees.md), pinned here, not imported from the
# app, so that a change to either fails the suites that probe their edges.
MAX_BODY_BYTES = 1024 * 1024
MAX_QUERY_BYTES = 4096
# Strings that must never reach a client: internal addresses and what a stack trace looks like.
LEAKS = ("Traceback", 'File "', CATALOG_URL, "catalog.test", "127.0.0.1", "amazonaws")
ERROR_KEYS = {"error", "detail", "request_id"}
# An internal failure whose message names internal places; none of it may reach the client.
SECRET_MESSAGE = (
    "boom at https://dynamodb.us-east-1.amazonaws.com/ from 127.0.0.1 via "
    f'{CATALOG_URL}/movies; Traceback (most recent call last): File "/var/task/x.py"'
)

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]

# The fuzzer is one caller sending hundreds of requests a minute: its own limits, high enough
# that a schema-valid request is never refused for volume, while the limiter still counts each.
FUZZ_REQUESTS_PER_MINUTE = 100_000


class DownStore(InMemoryRatingStore):
    """The table cannot be read: what DynamoRatingStore raises on a boto3 error."""

    async def ratings_for(
        self, user_id: str, *, limit: int, after: int | None = None
    ) -> RatingsPage:
        raise StoreUnavailable("the ratings table could not be read")

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        raise StoreUnavailable("the ratings table could not be read")


class BrokenStore(InMemoryRatingStore):
    """A bug: an exception no handler maps, carrying internal details in its message."""

    async def ratings_for(
        self, user_id: str, *, limit: int, after: int | None = None
    ) -> RatingsPage:
        raise RuntimeError(SECRET_MESSAGE)

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        raise RuntimeError(SECRET_MESSAGE)


class HangingStore(InMemoryRatingStore):
    """The table never answers in time."""

    def __init__(self, hang_s: float = 30.0) -> None:
        super().__init__()
        self.hang_s = hang_s

    async def ratings_for(
        self, user_id: str, *, limit: int, after: int | None = None
    ) -> RatingsPage:
        await asyncio.sleep(self.hang_s)
        return RatingsPage([])

    async def trending(self, limit: int) -> list[tuple[int, int]]:
        await asyncio.sleep(self.hang_s)
        return []


class HangingQueue(InMemoryTaskQueue):
    """The queue never answers in time."""

    def __init__(self, hang_s: float = 30.0) -> None:
        super().__init__()
        self.hang_s = hang_s

    async def send(self, message: Message, *, correlation_id: str) -> None:
        await asyncio.sleep(self.hang_s)


class HeldKeys(InMemoryIdempotencyStore):
    """Every Idempotency-Key is in `conflict`: reused with another body, or in flight."""

    def __init__(self, conflict: Conflict) -> None:
        super().__init__()
        self.conflict = conflict

    async def claim(self, caller: str, key: str, fingerprint: str) -> Claimed | Answer | Conflict:
        return self.conflict


class DownKeys(InMemoryIdempotencyStore):
    """The table cannot be reached to check a key: what DynamoIdempotencyStore raises."""

    async def claim(self, caller: str, key: str, fingerprint: str) -> Claimed | Answer | Conflict:
        raise StoreUnavailable("the Idempotency-Key could not be checked or kept")


@dataclass
class FuzzApp:
    """The app and the fakes behind it."""

    app: FastAPI
    catalog: FakeCatalog
    ratings: InMemoryRatingStore
    queue: InMemoryTaskQueue


def build(
    *,
    catalog_fault: str | None = None,
    queue_down: bool = False,
    store: InMemoryRatingStore | None = None,
    queue: InMemoryTaskQueue | None = None,
    keys: InMemoryIdempotencyStore | None = None,
    deadline_s: float = 2.0,
    hang_s: float = 30.0,
) -> FuzzApp:
    """The real app over fakes; `catalog_fault` is one of tests.support.fake_catalog.FAULTS."""
    catalog = FakeCatalog(fault=catalog_fault, hang_s=hang_s)
    ratings = store if store is not None else InMemoryRatingStore()
    queue = queue if queue is not None else InMemoryTaskQueue()
    queue.fail = queue_down
    settings = Settings(
        catalog_url=CATALOG_URL,
        request_deadline_s=deadline_s,
        ratings_per_minute=FUZZ_REQUESTS_PER_MINUTE,
        recommendations_per_minute=FUZZ_REQUESTS_PER_MINUTE,
    )
    app = app_with_fakes(settings, catalog=catalog, ratings=ratings, queue=queue, idempotency=keys)
    return FuzzApp(app, catalog, ratings, queue)


def without_lifespan(app: FastAPI) -> ASGIApp:
    """The app as Mangum runs it on Lambda (lifespan="off"): startup and shutdown never run.

    schemathesis ends an ASGI app's lifespan after each test, which would close the shared
    catalog client of an app built once for the whole module.
    """

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await app(scope, receive, send)

    return asgi


def client(app: FastAPI | ASGIApp) -> httpx.AsyncClient:
    """An in-process client behind the local gateway, with alice's valid token on every request.

    Requests go through the ASGI app, never a socket.
    """
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=behind_test_gateway(app)),  # type: ignore[arg-type]
        base_url="http://api.test",
        headers=bearer("alice"),
    )


def assert_error_shape(response: httpx.Response) -> dict[str, Any]:
    """The JSON error body with exactly its three keys, the request id and nosniff."""
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) == ERROR_KEYS, body
    assert isinstance(body["error"], str), body
    assert body["error"], body
    assert body["request_id"] == response.headers["x-request-id"], body
    assert response.headers.get("x-content-type-options") == "nosniff", dict(response.headers)
    return body


def assert_no_leak(response: httpx.Response) -> None:
    """Nothing internal in the body: no stack trace, no internal URL or address."""
    text = response.text
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} leaked in {response.status_code}: {text}"

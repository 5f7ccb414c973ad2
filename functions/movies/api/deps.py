"""Dependencies the routes receive: the app factory decides what stands behind each one.

Routes name these aliases and never reach into `app.state` themselves.
"""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from fastapi import Depends, Request

from movies.api.middleware.head import HEAD_SCOPE_KEY
from movies.catalog.blocking import BlockingCatalogClient
from movies.catalog.client import CatalogClient
from movies.domain.ports import Counters, IdempotencyStore, RateLimiter, RatingStore, TaskQueue


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a route may use, built once per process by whoever creates the app."""

    catalog: CatalogClient
    blocking_catalog: BlockingCatalogClient
    ratings: RatingStore
    queue: TaskQueue
    logger: Logger
    counters: Counters
    limiter: RateLimiter
    idempotency: IdempotencyStore


def services(request: Request) -> Services:
    """The services of the app serving `request`."""
    found: Services = request.app.state.services
    return found


def _provide[T](pick: Callable[[Services], T]) -> Callable[[Request], Coroutine[Any, Any, T]]:
    """A dependency returning one service; async, so FastAPI never sends it to a thread."""

    async def provide(request: Request) -> T:
        return pick(services(request))

    return provide


async def _request_id(request: Request) -> str:
    request_id: str = request.state.request_id  # set by EdgeMiddleware
    return request_id


async def _head_only(request: Request) -> bool:
    return HEAD_SCOPE_KEY in request.scope  # set by EdgeMiddleware for a HEAD's GET twin


Catalog = Annotated[CatalogClient, Depends(_provide(lambda s: s.catalog))]
BlockingCatalog = Annotated[BlockingCatalogClient, Depends(_provide(lambda s: s.blocking_catalog))]
Ratings = Annotated[RatingStore, Depends(_provide(lambda s: s.ratings))]
Queue = Annotated[TaskQueue, Depends(_provide(lambda s: s.queue))]
AppLogger = Annotated[Logger, Depends(_provide(lambda s: s.logger))]
AppCounters = Annotated[Counters, Depends(_provide(lambda s: s.counters))]
Limiter = Annotated[RateLimiter, Depends(_provide(lambda s: s.limiter))]
Idempotency = Annotated[IdempotencyStore, Depends(_provide(lambda s: s.idempotency))]
RequestId = Annotated[str, Depends(_request_id)]
# True when the client sent HEAD: the route runs as for GET, and the body is never sent.
HeadOnly = Annotated[bool, Depends(_head_only)]

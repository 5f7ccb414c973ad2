"""Dependencies the routes receive; the app factory decides what stands behind them."""

from typing import Annotated

from fastapi import Depends, Request

from movies.blocking import BlockingCatalogClient
from movies.catalog import CatalogClient
from movies.queue import TaskQueue
from movies.ratings import RatingStore


async def _catalog(request: Request) -> CatalogClient:
    catalog: CatalogClient = request.app.state.catalog
    return catalog


async def _blocking_catalog(request: Request) -> BlockingCatalogClient:
    blocking: BlockingCatalogClient = request.app.state.blocking_catalog
    return blocking


async def _ratings(request: Request) -> RatingStore:
    store: RatingStore = request.app.state.ratings
    return store


async def _queue(request: Request) -> TaskQueue:
    queue: TaskQueue = request.app.state.queue
    return queue


Catalog = Annotated[CatalogClient, Depends(_catalog)]
BlockingCatalog = Annotated[BlockingCatalogClient, Depends(_blocking_catalog)]
Ratings = Annotated[RatingStore, Depends(_ratings)]
Queue = Annotated[TaskQueue, Depends(_queue)]

"""The caller's recommendations: their ratings and the catalog fetched concurrently, then scored."""

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Query

from movies.api.deps import AppCounters, AppLogger, Catalog, Queue, Ratings, RequestId
from movies.api.identity import CurrentUser
from movies.api.params import Genre
from movies.api.schemas import UPSTREAM, Recommendations, error_responses
from movies.domain.messages import RecommendationsServed
from movies.domain.scoring import recommend
from movies.errors import QueueUnavailable

router = APIRouter(tags=["recommendations"])

MAX_RATINGS_SCORED = 1000
RecommendationLimit = Annotated[int, Query(ge=1, le=50, description="How many to return")]


@router.get("/me/recommendations", responses=error_responses(401, 422, *UPSTREAM))
async def recommendations(
    user_id: CurrentUser,
    catalog: Catalog,
    ratings: Ratings,
    queue: Queue,
    request_id: RequestId,
    logger: AppLogger,
    counters: AppCounters,
    limit: RecommendationLimit = 10,
    genre: Genre = None,
) -> Recommendations:
    """Rank movies by the caller's genre affinity x rating; no ratings gives the best-rated."""
    start = time.perf_counter()
    # The whole catalog rather than one genre: the genres of every rated movie feed the affinity.
    # At most MAX_RATINGS_SCORED ratings are read: one request never reads an unbounded number.
    page, movies = await asyncio.gather(
        ratings.ratings_for(user_id, limit=MAX_RATINGS_SCORED), catalog.all_movies()
    )
    user_ratings = page.items
    items = recommend(movies, user_ratings, limit=limit, genre=genre)
    served = RecommendationsServed(
        user_id=user_id,
        movie_ids=[item.movie.id for item in items],
        duration_ms=round((time.perf_counter() - start) * 1000, 3),
    )
    # Best effort: a lost impression must never cost the user their answer.
    try:
        await queue.send(served, correlation_id=request_id)
    except QueueUnavailable as exc:
        counters.increment("AnalyticsSendFailed")
        logger.warning("analytics not sent", extra={"reason": exc.detail, "type": served.type})
    return Recommendations(user_id=user_id, based_on_ratings=len(user_ratings), items=items)

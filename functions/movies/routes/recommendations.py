"""Personal recommendations: ratings and catalog fetched concurrently, then scored."""

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request

from movies.deps import Catalog, Queue, Ratings
from movies.errors import QueueUnavailable
from movies.messages import RecommendationsServed
from movies.models import Recommendations
from movies.routes.params import Genre, UserId
from movies.routes.responses import UPSTREAM, error_responses
from movies.scoring import recommend

router = APIRouter(tags=["recommendations"])

RecommendationLimit = Annotated[int, Query(ge=1, le=50, description="How many to return")]


@router.get("/recommendations/{user_id}", responses=error_responses(422, *UPSTREAM))
async def recommendations(
    user_id: UserId,
    catalog: Catalog,
    ratings: Ratings,
    queue: Queue,
    request: Request,
    limit: RecommendationLimit = 10,
    genre: Genre = None,
) -> Recommendations:
    """Rank movies for a user by genre affinity x rating; no ratings gives the best-rated."""
    start = time.perf_counter()
    # The whole catalog rather than one genre: the genres of every rated movie feed the affinity.
    user_ratings, movies = await asyncio.gather(ratings.ratings_for(user_id), catalog.all_movies())
    items = recommend(movies, user_ratings, limit=limit, genre=genre)
    served = RecommendationsServed(
        user_id=user_id,
        movie_ids=[item.movie.id for item in items],
        duration_ms=round((time.perf_counter() - start) * 1000, 3),
    )
    await _send_analytics(queue, served, request)
    return Recommendations(user_id=user_id, based_on_ratings=len(user_ratings), items=items)


async def _send_analytics(queue: Queue, message: RecommendationsServed, request: Request) -> None:
    """Best effort: a lost impression must never cost the user their answer."""
    try:
        await queue.send(message, correlation_id=request.state.request_id)
    except QueueUnavailable as exc:
        request.app.state.counters.increment("AnalyticsSendFailed")
        request.app.state.logger.warning(
            "analytics not sent", extra={"reason": exc.detail, "type": message.type}
        )

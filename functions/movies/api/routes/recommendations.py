"""The caller's recommendations: their taste from their ratings, then one round of concurrent
catalog calls whose number does not depend on the catalog's size."""

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Query

from movies.api.deps import (
    AppCounters,
    AppLogger,
    Catalog,
    HeadOnly,
    Queue,
    Ratings,
    RequestId,
)
from movies.api.identity import CurrentUser
from movies.api.limits import RECOMMENDATIONS, limited
from movies.api.params import Genre
from movies.api.schemas import UPSTREAM, Recommendations, error_responses
from movies.catalog.client import CATALOG_PAGE_MAX
from movies.domain.messages import RecommendationsServed
from movies.domain.scoring import favourite_genres, genre_affinity, recommend
from movies.errors import QueueUnavailable

router = APIRouter(tags=["recommendations"])

# One request never reads an unbounded number of ratings, and never asks the catalog for more
# than its largest page.
MAX_RATINGS_SCORED = 1000
# Every caller's candidates come from the same best-rated page per genre, so that one cached
# page serves every user who likes that genre: the catalog's largest (1,000 movies), the most
# any caller needs (`limit` + their ratings, at most 50 + 1,000, capped there as before).
CANDIDATE_PAGE = CATALOG_PAGE_MAX
RecommendationLimit = Annotated[int, Query(ge=1, le=50, description="How many to return")]


@router.get(
    "/me/recommendations",
    responses=error_responses(401, 422, 429, *UPSTREAM),
    dependencies=[limited(RECOMMENDATIONS)],
)
async def recommendations(
    user_id: CurrentUser,
    catalog: Catalog,
    ratings: Ratings,
    queue: Queue,
    request_id: RequestId,
    logger: AppLogger,
    counters: AppCounters,
    head_only: HeadOnly,
    limit: RecommendationLimit = 10,
    genre: Genre = None,
) -> Recommendations:
    """Rank movies by the caller's genre affinity x rating; no ratings gives the best-rated.

    Candidates: the best-rated page of the asked genre, or the best-rated page overall and of
    each of the caller's (up to 3) favourite genres, fetched concurrently: at most 4 catalog
    calls, 1 for a user without ratings.
    """
    start = time.perf_counter()
    rated = (await ratings.ratings_for(user_id, limit=MAX_RATINGS_SCORED)).items
    genres = [genre] if genre else [None, *favourite_genres(genre_affinity(rated))]
    pages = await asyncio.gather(*(catalog.best_rated(g, CANDIDATE_PAGE) for g in genres))
    # Trimmed to what this caller needs: enough per page that `limit` movies remain after their
    # own ratings are excluded. The best-rated order makes each trimmed page the page of that
    # size, so the candidates (and the scoring's work) are those of a page sized per caller.
    size = limit + len(rated)
    candidates = [movie for page in pages for movie in page[:size]]
    items = recommend(candidates, rated, limit=limit, genre=genre)
    answer = Recommendations(user_id=user_id, based_on_ratings=len(rated), items=items)
    if head_only:
        return answer  # the GET's status and headers, but nobody saw these movies: no impression
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
    return answer

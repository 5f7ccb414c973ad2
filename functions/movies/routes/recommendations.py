"""Personal recommendations: ratings and catalog fetched concurrently, then scored."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query

from movies.deps import Catalog, Ratings
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
    limit: RecommendationLimit = 10,
    genre: Genre = None,
) -> Recommendations:
    """Rank movies for a user by genre affinity x rating; no ratings gives the best-rated."""
    # The whole catalog rather than one genre: the genres of every rated movie feed the affinity.
    user_ratings, movies = await asyncio.gather(ratings.ratings_for(user_id), catalog.all_movies())
    items = recommend(movies, user_ratings, limit=limit, genre=genre)
    return Recommendations(user_id=user_id, based_on_ratings=len(user_ratings), items=items)

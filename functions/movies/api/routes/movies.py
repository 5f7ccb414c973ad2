"""Catalog routes: the async proxy, one movie, and the blocking baseline.

The first three are public answers any cache may keep (movies.api.public); the baseline is not,
so that every benchmark request reaches the catalog.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from movies.api.deps import BlockingCatalog, Catalog, Ratings
from movies.api.params import Genre, Limit, MovieId, Offset
from movies.api.public import PUBLIC, public_responses
from movies.api.schemas import UPSTREAM, Trending, TrendingMovie, error_responses
from movies.domain.models import Movie, MoviePage

router = APIRouter(tags=["movies"])


@router.get("/movies", responses=public_responses(422, *UPSTREAM), dependencies=[PUBLIC])
async def list_movies(
    catalog: Catalog, genre: Genre = None, limit: Limit = 20, offset: Offset = 0
) -> MoviePage:
    """List catalog movies through the shared async client; never blocks the event loop."""
    return await catalog.list_movies(genre, limit, offset)


# Declared before /movies/{movie_id}, which would otherwise claim "trending" and answer 422.
@router.get("/movies/trending", responses=public_responses(422, 503), dependencies=[PUBLIC])
async def trending(ratings: Ratings, limit: Annotated[int, Query(ge=1, le=100)] = 10) -> Trending:
    """The most recommended movies, from the worker's impression counters."""
    counts = await ratings.trending(limit)
    return Trending(items=[TrendingMovie(movie_id=m, impressions=n) for m, n in counts])


@router.get(
    "/movies/{movie_id}",
    responses=public_responses(404, 422, *UPSTREAM),
    dependencies=[PUBLIC],
)
async def get_movie(catalog: Catalog, movie_id: MovieId) -> Movie:
    """Return one movie, or 404."""
    return await catalog.get_movie(movie_id)


@router.get("/blocking-movies", responses=error_responses(422, *UPSTREAM))
def blocking_movies(
    catalog: BlockingCatalog, genre: Genre = None, limit: Limit = 20, offset: Offset = 0
) -> MoviePage:
    """The lesson's baseline: same data, but `requests` holds one of 40 worker threads."""
    return catalog.list_movies(genre, limit, offset)

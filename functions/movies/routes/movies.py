"""Catalog routes: the async proxy, one movie, and the blocking baseline."""

from fastapi import APIRouter

from movies.deps import BlockingCatalog, Catalog
from movies.models import Movie, MoviePage
from movies.routes.params import Genre, Limit, MovieId, Offset
from movies.routes.responses import UPSTREAM, error_responses

router = APIRouter(tags=["movies"])


@router.get("/movies", responses=error_responses(422, *UPSTREAM))
async def list_movies(
    catalog: Catalog, genre: Genre = None, limit: Limit = 20, offset: Offset = 0
) -> MoviePage:
    """List catalog movies through the shared async client; never blocks the event loop."""
    return await catalog.list_movies(genre, limit, offset)


@router.get("/movies/{movie_id}", responses=error_responses(404, 422, *UPSTREAM))
async def get_movie(catalog: Catalog, movie_id: MovieId) -> Movie:
    """Return one movie, or 404."""
    return await catalog.get_movie(movie_id)


@router.get("/blocking-movies", responses=error_responses(422, *UPSTREAM))
def blocking_movies(
    catalog: BlockingCatalog, genre: Genre = None, limit: Limit = 20, offset: Offset = 0
) -> MoviePage:
    """The lesson's baseline: same data, but `requests` holds one of 40 worker threads."""
    return catalog.list_movies(genre, limit, offset)

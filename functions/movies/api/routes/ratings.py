"""The caller's ratings: accepted onto the task queue (202), read back page by page.

The user is the verified token's subject (movies.api.identity), never a path or body field.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from movies.api.deps import Catalog, Queue, Ratings, RequestId
from movies.api.idempotency import ACCEPTED, Keyed
from movies.api.identity import CurrentUser
from movies.api.limits import RATINGS, limited
from movies.api.schemas import (
    BODY,
    UPSTREAM,
    RatingAccepted,
    RatingIn,
    StoredRating,
    UserRatings,
    error_responses,
)
from movies.domain.idempotency import Answer
from movies.domain.messages import RatingSubmitted

router = APIRouter(tags=["ratings"])

PageLimit = Annotated[int, Query(ge=1, le=100, description="Ratings per page")]
# The movie id the previous page ended at. Every value the pattern admits is a valid cursor
# (ratings after that movie, perhaps none), so the spec states exactly what the server checks.
Cursor = Annotated[
    str | None,
    Query(
        pattern=r"^[1-9][0-9]{0,9}$",
        description="`next_cursor` of the previous page; omit for the first",
    ),
]


@router.post(
    "/me/ratings",
    status_code=202,
    responses={202: ACCEPTED, **error_responses(401, 404, 409, 422, 429, *UPSTREAM, *BODY)},
    dependencies=[limited(RATINGS)],
)
async def submit_rating(
    user_id: CurrentUser,
    rating: RatingIn,
    catalog: Catalog,
    queue: Queue,
    request_id: RequestId,
    request: Request,
    keyed: Keyed,
) -> RatingAccepted:
    """Queue a rating of a movie the catalog knows; 202 only once SQS has accepted it.

    An unknown movie is a 404 here, before anything is queued: the one catalog lookup is the
    cheapest place to refuse it, and nothing is ever stored or counted for it. The same lookup
    gives the movie's genres, kept with the rating for the user's taste. With an
    Idempotency-Key, a retry gets the first 202 again (movies.api.idempotency).
    """

    async def accept() -> Answer:
        movie = await catalog.get_movie(rating.movie_id)
        message = RatingSubmitted(
            user_id=user_id, movie_id=movie.id, stars=rating.stars, genres=movie.genres
        )
        await queue.send(message, correlation_id=request_id)
        accepted = RatingAccepted(event_id=str(message.event_id))
        location = str(request.url_for("my_ratings").path)
        return Answer(202, accepted.model_dump_json(), location)

    answer = await keyed.once(rating, accept)
    return RatingAccepted.model_validate_json(answer.body)


@router.get("/me/ratings", name="my_ratings", responses=error_responses(401, 422, 503))
async def my_ratings(
    user_id: CurrentUser, ratings: Ratings, limit: PageLimit = 50, cursor: Cursor = None
) -> UserRatings:
    """Return one page of the caller's ratings as the worker stored them."""
    page = await ratings.ratings_for(user_id, limit=limit, after=_decode(cursor))
    items = [
        StoredRating(movie_id=r.movie_id, stars=r.stars, rated_at=r.rated_at) for r in page.items
    ]
    next_cursor = _encode(page.next_after) if page.next_after is not None else None
    return UserRatings(user_id=user_id, ratings=items, next_cursor=next_cursor)


def _encode(after: int) -> str:
    return str(after)


def _decode(cursor: str | None) -> int | None:
    return None if cursor is None else int(cursor)

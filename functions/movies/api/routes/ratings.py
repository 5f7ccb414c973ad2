"""Ratings: accepted onto the task queue (202), read back from what the worker stored."""

from fastapi import APIRouter, Request, Response

from movies.api.deps import Queue, Ratings, RequestId
from movies.api.params import UserId
from movies.api.schemas import (
    BODY,
    RatingAccepted,
    RatingIn,
    StoredRating,
    UserRatings,
    error_responses,
)
from movies.domain.messages import RatingSubmitted

router = APIRouter(tags=["ratings"])


@router.post(
    "/users/{user_id}/ratings", status_code=202, responses=error_responses(422, 503, *BODY)
)
async def submit_rating(
    user_id: UserId,
    rating: RatingIn,
    queue: Queue,
    request_id: RequestId,
    request: Request,
    response: Response,
) -> RatingAccepted:
    """Queue a rating; 202 only once SQS has accepted it, else 503 with Retry-After."""
    message = RatingSubmitted(user_id=user_id, movie_id=rating.movie_id, stars=rating.stars)
    await queue.send(message, correlation_id=request_id)
    response.headers["Location"] = str(request.url_for("user_ratings", user_id=user_id).path)
    return RatingAccepted(event_id=str(message.event_id))


@router.get("/users/{user_id}/ratings", name="user_ratings", responses=error_responses(422, 503))
async def user_ratings(user_id: UserId, ratings: Ratings) -> UserRatings:
    """Return the user's ratings as the worker stored them."""
    stored = await ratings.ratings_for(user_id)
    items = [StoredRating(movie_id=r.movie_id, stars=r.stars, rated_at=r.rated_at) for r in stored]
    items.sort(key=lambda item: item.movie_id)
    return UserRatings(user_id=user_id, ratings=items)

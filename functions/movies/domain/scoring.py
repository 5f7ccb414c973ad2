"""Recommendation scoring: a pure function of candidate movies and one user's ratings."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from movies.domain.models import Movie, Rating, Recommendation

NEUTRAL_STARS = 2.5
# How many favourite genres a recommendation fetches candidates from.
FAVOURITES = 3


def genre_affinity(ratings: Iterable[Rating]) -> dict[str, float]:
    """Map each genre to the user's taste for it, in [-1, 1), from the genres kept with ratings.

    Each rating counts (stars - 2.5) / 2.5, so 5 stars is +1 and 0.5 stars is -0.8. A genre's
    affinity is the sum over its rated movies divided by (count + 1): one rating moves it half
    way, many ratings approach their mean.
    """
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for rating in ratings:
        for genre in rating.genres:
            totals[genre] += (rating.stars - NEUTRAL_STARS) / NEUTRAL_STARS
            counts[genre] += 1
    return {genre: totals[genre] / (counts[genre] + 1) for genre in totals}


def favourite_genres(affinity: dict[str, float], most: int = FAVOURITES) -> list[str]:
    """The `most` genres the user likes best (positive affinity only), best first, ties by name."""
    liked = sorted(
        (genre for genre, value in affinity.items() if value > 0), key=lambda g: (-affinity[g], g)
    )
    return liked[:most]


def score(movie: Movie, affinity: dict[str, float]) -> float:
    """Score one movie: (1 + taste) x its catalog rating.

    Taste is the sum of its genres' affinities, clamped to [-1, 1] so that the factor stays in
    [0, 2]: a movie in two liked genres beats one in a single liked genre, within bounds.
    """
    taste = sum(affinity.get(genre, 0.0) for genre in movie.genres)
    return (1.0 + max(-1.0, min(1.0, taste))) * movie.rating


def recommend(
    movies: Sequence[Movie],
    ratings: Sequence[Rating],
    *,
    limit: int,
    genre: str | None = None,
) -> list[Recommendation]:
    """Rank unrated candidates (optionally of one genre) by score, best first, ties by id.

    Candidates may repeat (several catalog pages); each movie counts once. With no ratings every
    affinity is 0, so the ranking is by catalog rating: the best-rated movies.
    """
    affinity = genre_affinity(ratings)
    rated = {rating.movie_id for rating in ratings}
    wanted = genre.casefold() if genre else None
    unique = {movie.id: movie for movie in movies}.values()
    candidates = [
        Recommendation(movie=movie, score=round(score(movie, affinity), 4))
        for movie in unique
        if movie.id not in rated
        and (wanted is None or any(g.casefold() == wanted for g in movie.genres))
    ]
    candidates.sort(key=lambda rec: (-rec.score, -rec.movie.rating, rec.movie.id))
    return candidates[:limit]

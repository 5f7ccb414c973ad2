"""Recommendation scoring is a pure function: deterministic, personal, and sane at the edges."""

import pytest

from movies.domain.models import Movie, Rating
from movies.domain.scoring import favourite_genres, genre_affinity, recommend, score


def movie(movie_id: int, rating: float, *genres: str) -> Movie:
    return Movie(id=movie_id, title=f"m{movie_id}", year=2000, genres=list(genres), rating=rating)


CATALOG = [
    movie(1, 8.0, "Sci-Fi"),
    movie(2, 7.0, "Comedy"),
    movie(3, 6.5, "Horror"),
    movie(4, 6.0, "Comedy", "Sci-Fi"),
    movie(5, 7.5, "Sci-Fi"),
    movie(6, 9.0, "Drama"),
    movie(7, 9.0, "Drama"),
]


GENRES = {m.id: tuple(m.genres) for m in CATALOG}


def rated(movie_id: int, stars: float) -> Rating:
    """A rating with its movie's genres kept, as the worker stores it."""
    return Rating(movie_id, stars, genres=GENRES.get(movie_id, ()))


def ids(recs: list[object]) -> list[int]:
    return [rec.movie.id for rec in recs]  # type: ignore[attr-defined]


def test_no_ratings_ranks_by_catalog_rating_ties_by_id() -> None:
    assert ids(recommend(CATALOG, [], limit=4)) == [6, 7, 1, 5]


def test_rated_movies_are_excluded() -> None:
    ranked = recommend(CATALOG, [rated(6, 3.0), rated(1, 3.0)], limit=10)
    assert 6 not in ids(ranked)
    assert 1 not in ids(ranked)
    assert len(ranked) == len(CATALOG) - 2


def test_liked_genre_lifts_and_disliked_genre_sinks() -> None:
    ranked = ids(recommend(CATALOG, [rated(2, 5.0), rated(6, 0.5)], limit=10))
    assert ranked[0] == 4  # comedy liked: 6.0 x 1.5 beats sci-fi's plain 8.0
    assert ranked[-1] == 7  # drama disliked: 9.0 x 0.6 falls below horror's 6.5


def test_affinity_is_damped_by_count_and_needs_no_catalog() -> None:
    one = genre_affinity([rated(1, 5.0)])
    two = genre_affinity([rated(1, 5.0), rated(5, 5.0)])
    assert one == {"Sci-Fi": pytest.approx(0.5)}
    assert two["Sci-Fi"] == pytest.approx(2 / 3)
    assert genre_affinity([Rating(999, 5.0)]) == {}  # stored before genres were kept


def test_favourite_genres_are_the_liked_ones_best_first_at_most_three() -> None:
    affinity = {"Drama": 0.6, "Comedy": 0.6, "Horror": -0.4, "Sci-Fi": 0.2, "Crime": 0.1}
    assert favourite_genres(affinity) == ["Comedy", "Drama", "Sci-Fi"]
    assert favourite_genres({"Horror": -0.5}) == []


def test_a_movie_on_several_candidate_pages_counts_once() -> None:
    assert ids(recommend([*CATALOG, *CATALOG[:3]], [], limit=10)) == ids(
        recommend(CATALOG, [], limit=10)
    )


def test_score_factor_is_clamped_between_zero_and_two() -> None:
    affinity = {"Comedy": 0.9, "Sci-Fi": 0.9}
    assert score(movie(9, 5.0, "Comedy", "Sci-Fi"), affinity) == pytest.approx(10.0)
    assert score(movie(9, 5.0, "Comedy", "Sci-Fi"), {"Comedy": -0.8, "Sci-Fi": -0.8}) == 0.0


def test_genre_filter_is_case_insensitive_and_limit_applies() -> None:
    assert ids(recommend(CATALOG, [], limit=2, genre="sci-fi")) == [1, 5]


def test_order_is_deterministic_whatever_the_input_order() -> None:
    ratings = [rated(2, 4.0), rated(3, 1.5)]
    forward = recommend(CATALOG, ratings, limit=10)
    backward = recommend(list(reversed(CATALOG)), list(reversed(ratings)), limit=10)
    assert forward == backward

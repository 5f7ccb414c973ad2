"""The simulator's generated catalog: deterministic, well-formed, within the documented ranges."""

from infra.catalog_sim.data import GENRES, generate_movies


def test_same_seed_gives_the_same_movies() -> None:
    assert generate_movies(seed=7) == generate_movies(seed=7)


def test_different_seeds_give_different_movies() -> None:
    assert generate_movies(seed=1) != generate_movies(seed=2)


def test_default_is_600_movies_with_ids_1_to_600() -> None:
    movies = generate_movies()
    assert [movie["id"] for movie in movies] == list(range(1, 601))


def test_count_is_honoured() -> None:
    assert len(generate_movies(count=5)) == 5
    assert generate_movies(count=0) == []


def test_fields_are_typed_and_in_range() -> None:
    for movie in generate_movies():
        assert set(movie) == {"id", "title", "year", "genres", "rating"}
        assert isinstance(movie["title"], str)
        assert movie["title"].strip()
        assert isinstance(movie["year"], int)
        assert 1950 <= movie["year"] <= 2025
        assert isinstance(movie["rating"], float)
        assert 1.0 <= movie["rating"] <= 9.9
        assert round(movie["rating"], 1) == movie["rating"]


def test_genres_are_one_to_three_distinct_sorted_known_names() -> None:
    for movie in generate_movies():
        genres = movie["genres"]
        assert 1 <= len(genres) <= 3
        assert genres == sorted(set(genres))
        assert set(genres) <= set(GENRES)


def test_titles_are_unique() -> None:
    titles = [movie["title"] for movie in generate_movies()]
    assert len(set(titles)) == len(titles)


def test_catalog_covers_every_genre_and_spreads_values() -> None:
    movies = generate_movies()
    assert {genre for movie in movies for genre in movie["genres"]} == set(GENRES)
    assert len({movie["year"] for movie in movies}) > 50
    assert len({movie["rating"] for movie in movies}) > 50


def test_genres_constant_is_a_dozen_distinct_names() -> None:
    assert len(GENRES) == len(set(GENRES)) == 12
    assert {"Action", "Comedy", "Drama", "Sci-Fi"} <= set(GENRES)

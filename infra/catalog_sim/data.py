"""The simulator's deterministic movie catalog."""

import random
from typing import Any

GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Horror",
    "Romance",
    "Sci-Fi",
    "Thriller",
)

_ADJECTIVES = (
    "Silent", "Broken", "Golden", "Hidden", "Last", "Crimson", "Distant", "Frozen", "Electric",
    "Wild", "Lonely", "Secret", "Burning", "Midnight", "Iron", "Velvet", "Savage", "Quiet",
    "Endless", "Lucky",
)  # fmt: skip
_NOUNS = (
    "River", "Empire", "Garden", "Shadow", "Horizon", "Machine", "Kingdom", "Harbor", "Signal",
    "Orchard", "Frontier", "Mirror", "Storm", "Voyage", "Circus", "Planet", "Lantern", "Witness",
    "Island", "Symphony",
)  # fmt: skip
_SEQUELS = ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _title(rng: random.Random) -> str:
    adjective, noun, other = rng.choice(_ADJECTIVES), rng.choice(_NOUNS), rng.choice(_NOUNS)
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"The {adjective} {noun}"
    if pattern == 1:
        return f"{noun} of the {adjective} {other}"
    if pattern == 2:
        return f"{adjective} {noun}"
    return f"The {noun} and the {other}"


def generate_movies(count: int = 600, seed: int = 42) -> list[dict[str, Any]]:
    """Return `count` movies with ids 1..count, the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    seen: dict[str, int] = {}
    movies: list[dict[str, Any]] = []
    for movie_id in range(1, count + 1):
        base = _title(rng)
        repeats = seen.get(base, 0)
        seen[base] = repeats + 1
        # Repeated titles become sequels so titles stay unique while the word lists stay short.
        title = base if repeats == 0 else f"{base} {_SEQUELS[(repeats - 1) % len(_SEQUELS)]}"
        if repeats > len(_SEQUELS):
            title = f"{title} ({movie_id})"
        movies.append(
            {
                "id": movie_id,
                "title": title,
                "year": rng.randint(1950, 2025),
                "genres": sorted(rng.sample(GENRES, rng.randint(1, 3))),
                "rating": round(rng.uniform(1.0, 9.9), 1),
            }
        )
    return movies

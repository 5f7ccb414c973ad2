"""The workload: a seeded mix of catalog reads, recommendations and ratings, Zipf-skewed.

Popularity follows a Zipf curve (weight 1/rank^s) over genres (all genres first), pages and
movies; which genre, page or movie holds which rank is shuffled by the seed. Users are drawn
evenly. The same seed gives the same requests in the same order, so runs compare.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from infra.catalog_sim.app import DEFAULT_SIZE
from infra.catalog_sim.data import GENRES

# Each route (as the template names it) and its share of the requests: mostly public reads.
MIX: tuple[tuple[str, float], ...] = (
    ("GET /movies", 0.40),
    ("GET /movies/{movie_id}", 0.25),
    ("GET /movies/trending", 0.10),
    ("GET /me/recommendations", 0.15),
    ("POST /me/ratings", 0.10),
)
PUBLIC_ROUTES = frozenset({"GET /movies", "GET /movies/{movie_id}", "GET /movies/trending"})
PAGE_SIZE = 20  # the API's default limit, as a client paging through would send it
PAGES = 10
GENRE_S = 1.0
PAGE_S = 1.2
MOVIE_S = 1.0
STARS = tuple(n / 2 for n in range(1, 11))  # 0.5 to 5.0 in half stars


@dataclass(frozen=True)
class Planned:
    """One request of the workload."""

    route: str  # the template's route key, "GET /movies/{movie_id}"
    method: str
    path: str  # with its query string
    user: str | None = None  # the caller of a personal route
    body: dict[str, Any] | None = None


def zipf_weights(count: int, s: float) -> list[float]:
    """Weights 1/rank^s for ranks 1..count."""
    return [1 / rank**s for rank in range(1, count + 1)]


class _Zipf[T]:
    """Draws items with Zipf popularity, ranks shuffled once by `rng`."""

    def __init__(self, rng: random.Random, items: Sequence[T], s: float) -> None:
        self.rng = rng
        self.items = rng.sample(list(items), len(items))  # rank order
        self.weights = zipf_weights(len(items), s)

    def draw(self) -> T:
        return self.rng.choices(self.items, self.weights)[0]


def user_names(users: int, prefix: str = "cost-user-") -> list[str]:
    """The workload's callers."""
    return [f"{prefix}{n:02d}" for n in range(users)]


def make_plan(
    requests: int, users: int, seed: int = 17, catalog_size: int = DEFAULT_SIZE
) -> list[Planned]:
    """`requests` requests of the MIX, the same for the same arguments."""
    rng = random.Random(seed)  # noqa: S311 (a workload, not a secret)
    routes, shares = zip(*MIX, strict=True)
    genres = _Zipf[str | None](rng, [None, *GENRES], GENRE_S)
    pages = _Zipf(rng, range(PAGES), PAGE_S)
    movies = _Zipf(rng, range(1, catalog_size + 1), MOVIE_S)
    callers = user_names(users)
    plan = []
    for route in rng.choices(routes, shares, k=requests):
        if route == "GET /movies":
            genre = genres.draw()
            query = (f"genre={genre}&" if genre else "") + f"limit={PAGE_SIZE}"
            plan.append(Planned(route, "GET", f"/movies?{query}&offset={pages.draw() * PAGE_SIZE}"))
        elif route == "GET /movies/{movie_id}":
            plan.append(Planned(route, "GET", f"/movies/{movies.draw()}"))
        elif route == "GET /movies/trending":
            plan.append(Planned(route, "GET", "/movies/trending"))
        elif route == "GET /me/recommendations":
            plan.append(Planned(route, "GET", "/me/recommendations", rng.choice(callers)))
        else:
            body = {"movie_id": movies.draw(), "stars": rng.choice(STARS)}
            plan.append(Planned(route, "POST", "/me/ratings", rng.choice(callers), body))
    return plan


def shares_of(plan: Sequence[Planned]) -> dict[str, float]:
    """Each route's share of `plan`."""
    counts = {route: 0.0 for route, _ in MIX}
    for planned in plan:
        counts[planned.route] += 1
    return {route: count / max(len(plan), 1) for route, count in counts.items()}

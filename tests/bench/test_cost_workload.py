"""bench-cost's workload: the same seed gives the same requests; the mix and the skew are as set."""

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from infra.bench.suites.cost.workload import (
    MIX,
    PAGE_SIZE,
    PUBLIC_ROUTES,
    STARS,
    make_plan,
    shares_of,
    user_names,
    zipf_weights,
)

REQUESTS = 5000


def test_zipf_weights_fall_as_one_over_rank_to_the_s() -> None:
    assert zipf_weights(3, 1.0) == [1.0, 0.5, 1 / 3]
    assert zipf_weights(2, 2.0) == [1.0, 0.25]


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    assert make_plan(300, 40, seed=17) == make_plan(300, 40, seed=17)
    assert make_plan(300, 40, seed=17) != make_plan(300, 40, seed=18)


def test_each_route_gets_its_share() -> None:
    shares = shares_of(make_plan(REQUESTS, 40))
    for route, share in MIX:
        assert shares[route] == pytest.approx(share, abs=0.02), route
    public = sum(share for route, share in shares.items() if route in PUBLIC_ROUTES)
    assert public > 0.7  # mostly public catalog reads


def _skew(values: list[object]) -> float:
    """How many times the most frequent value outnumbers the third most frequent."""
    counts = [n for _, n in Counter(values).most_common()]
    return counts[0] / counts[2]


def test_popularity_is_skewed_over_genres_pages_and_movies() -> None:
    plan = make_plan(REQUESTS, 40)
    pages = [parse_qs(urlsplit(p.path).query) for p in plan if p.route == "GET /movies"]
    genres = [page.get("genre", ["(all)"])[0] for page in pages]
    offsets = [int(page["offset"][0]) for page in pages]
    movies = [p.path for p in plan if p.route == "GET /movies/{movie_id}"]
    # Zipf with s = 1 puts rank 1 at three times rank 3; s = 1.2 at 3.7 times.
    assert _skew(genres) > 2
    assert _skew(offsets) > 2
    assert _skew(movies) > 2
    assert all(offset % PAGE_SIZE == 0 for offset in offsets)
    assert len(set(movies)) > 100  # a long tail, not a handful of ids


def test_personal_requests_come_from_the_users_and_rate_real_movies() -> None:
    plan = make_plan(REQUESTS, 40)
    users = set(user_names(40))
    for planned in plan:
        if planned.route in PUBLIC_ROUTES:
            assert (planned.user, planned.method) == (None, "GET")
        else:
            assert planned.user in users
    ratings = [p.body for p in plan if p.route == "POST /me/ratings"]
    assert all(r is not None and r["stars"] in STARS and 1 <= r["movie_id"] <= 600 for r in ratings)
    callers = Counter(p.user for p in plan if p.user)
    assert len(callers) == 40  # drawn evenly: every user sends some

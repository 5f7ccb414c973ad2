"""The probes behind targets 2-4, each on the running stack after the measured pass.

(2) one public read nobody made before, then the same read eleven times at concurrency 4:
    catalog calls after the first, and each one's latency;
(3) two users who rated the same movie: the first asks for recommendations (filling the pages
    of their genres), then the second: the catalog calls the second one made;
(4) every environment held by a slow, uncached read, then one request more: its status and how
    soon it came back.
"""

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from infra.bench.harness.catalog_control import CatalogControl
from infra.bench.suites.cost.drive import Headers, Sent, send_plan
from infra.bench.suites.cost.workload import Planned

REPEAT_PATH = "/movies?genre=Documentary&limit=13&offset=0"  # a page the workload never asks for
REPEATS = 11
REPEAT_CONCURRENCY = 4
PROBE_USERS = ("cost-probe-a", "cost-probe-b")
PROBE_MOVIE = 7
STORED_TIMEOUT_S = 60.0
HOLD_OFFSET = 90_000  # pages past the catalog's end: never cached, each one catalog call
HOLD_MIN_LATENCY_MS = 2000  # the held requests must outlast the probe's extra one by far
HOLD_SETTLE_S = 1.0  # time for the held requests to reach their environments


@dataclass(frozen=True)
class RepeatProbe:
    """Target 2's read, repeated."""

    path: str
    first_status: int
    first_calls: int  # catalog calls of the first read
    further_calls: int  # catalog calls of the repeats
    statuses: list[int]
    latencies_ms: list[float]


@dataclass(frozen=True)
class SharedPagesProbe:
    """Target 3's two users."""

    stored: bool  # both ratings were in the table before the reads (else the reads are moot)
    statuses: list[int]
    first_calls: int  # the first user's recommendations
    second_calls: int  # the second user's, with the same genres


@dataclass(frozen=True)
class ThrottleProbe:
    """Target 4's request beyond the concurrency."""

    held: int  # slow requests in flight
    held_statuses: list[int]
    status: int
    latency_ms: float


def _get(path: str, user: str | None = None) -> Planned:
    return Planned("probe", "GET", path, user)


def repeat_probe(api_url: str, catalog: CatalogControl) -> RepeatProbe:
    """(2): the first read, then REPEATS more at REPEAT_CONCURRENCY."""
    catalog.reset()
    [first] = send_plan(api_url, [_get(REPEAT_PATH)], 1)
    first_calls = catalog.calls()
    repeats = send_plan(api_url, [_get(REPEAT_PATH)] * REPEATS, REPEAT_CONCURRENCY)
    return RepeatProbe(
        REPEAT_PATH,
        first.status,
        first_calls,
        catalog.calls() - first_calls,
        [s.status for s in repeats],
        [s.latency_ms for s in repeats],
    )


def _ratings(api_url: str, headers: Headers) -> int:
    request = urllib.request.Request(f"{api_url}/me/ratings", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return len(json.loads(response.read()).get("ratings", []))
    except (urllib.error.URLError, OSError, ValueError):
        return 0


def _stored(api_url: str, auth: dict[str, Headers]) -> bool:
    """True once GET /me/ratings shows each probe user's rating (the worker has stored it)."""
    deadline = time.monotonic() + STORED_TIMEOUT_S
    while time.monotonic() < deadline:
        if all(_ratings(api_url, auth[user]) for user in PROBE_USERS):
            return True
        time.sleep(0.5)
    return False


def shared_pages_probe(
    api_url: str, catalog: CatalogControl, auth: dict[str, Headers]
) -> SharedPagesProbe:
    """(3): both users rate PROBE_MOVIE; once stored, each asks for recommendations in turn."""
    rating = {"movie_id": PROBE_MOVIE, "stars": 4.5}
    rated = send_plan(
        api_url, [Planned("probe", "POST", "/me/ratings", u, rating) for u in PROBE_USERS], 2, auth
    )
    stored = _stored(api_url, auth)
    catalog.reset()
    [first] = send_plan(api_url, [_get("/me/recommendations", PROBE_USERS[0])], 1, auth)
    first_calls = catalog.calls()
    [second] = send_plan(api_url, [_get("/me/recommendations", PROBE_USERS[1])], 1, auth)
    statuses = [*(s.status for s in rated), first.status, second.status]
    return SharedPagesProbe(stored, statuses, first_calls, catalog.calls() - first_calls)


def throttle_probe(
    api_url: str, catalog: CatalogControl, concurrency: int, latency_ms: int
) -> ThrottleProbe:
    """(4): `concurrency` slow reads hold every environment; one more request is sent meanwhile."""
    catalog.set_latency(max(latency_ms, HOLD_MIN_LATENCY_MS))
    held: list[Sent] = []
    holds = [_get(f"/movies?limit=1&offset={HOLD_OFFSET + n}") for n in range(concurrency)]
    holder = threading.Thread(target=lambda: held.extend(send_plan(api_url, holds, concurrency)))
    try:
        holder.start()
        time.sleep(HOLD_SETTLE_S)
        [extra] = send_plan(api_url, [_get("/health")], 1)
        holder.join()
    finally:
        catalog.set_latency(latency_ms)
    return ThrottleProbe(concurrency, [s.status for s in held], extra.status, extra.latency_ms)

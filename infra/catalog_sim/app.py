"""The simulator app: catalog routes behind latency and faults, and an uncounted control plane."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from infra.catalog_sim.answers import before_the_answer, with_the_answer
from infra.catalog_sim.data import generate_movies
from infra.catalog_sim.faults import Fault, FaultPicker, SimConfig, quiet_dropped_connections

JSON = "application/json"
CATALOG_ROUTES: tuple[str, ...] = ("/movies", "/movies/{id}", "/genres")
MAX_LIMIT = 1000
DEFAULT_SIZE = 600
MAX_SIZE = 1_000_000

Answer = tuple[int, bytes]


def dumps(value: Any) -> bytes:
    """Compact JSON bytes."""
    return json.dumps(value, separators=(",", ":")).encode()


def error_body(error: str, detail: str) -> bytes:
    """The simulator's JSON error body."""
    return dumps({"error": error, "detail": detail})


class Catalog:
    """The movies, serialized once so a request only slices and joins bytes."""

    def __init__(self, movies: list[dict[str, Any]]) -> None:
        ordered = sorted(movies, key=lambda movie: int(movie["id"]))
        self._by_id = {int(movie["id"]): dumps(movie) for movie in ordered}
        # Each listing in two orders: by id, and best-rated first (ties by id) for sort=-rating.
        best = sorted(ordered, key=lambda movie: (-float(movie["rating"]), int(movie["id"])))
        self._lists: dict[tuple[str | None, bool], list[bytes]] = {}
        for by_rating, movies_in_order in ((False, ordered), (True, best)):
            for movie in movies_in_order:
                body = self._by_id[int(movie["id"])]
                self._lists.setdefault((None, by_rating), []).append(body)
                for genre in movie["genres"]:
                    self._lists.setdefault((genre.lower(), by_rating), []).append(body)
        names = sorted({genre for movie in ordered for genre in movie["genres"]})
        self.genres_body = dumps({"genres": names})

    def page(self, genre: str | None, limit: int, offset: int, best_rated: bool = False) -> bytes:
        """One /movies page as JSON bytes, by id or best-rated first."""
        matching = self._lists.get((genre.lower() if genre else None, best_rated), [])
        head = b'{"items":[' + b",".join(matching[offset : offset + limit])
        return head + f'],"total":{len(matching)},"limit":{limit},"offset":{offset}}}'.encode()

    def movie(self, movie_id: int) -> bytes | None:
        """One movie as JSON bytes, or None."""
        return self._by_id.get(movie_id)


def _int_param(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be an integer {bounds}, got {raw!r}")
    return value


class _State:
    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.picker = FaultPicker(config.seed)
        self.counts = dict.fromkeys(CATALOG_ROUTES, 0)

    def stats(self) -> dict[str, Any]:
        return {"requests": sum(self.counts.values()), "by_route": dict(self.counts)}


def _json(value: Any, status: int = 200) -> Response:
    return Response(dumps(value), status, media_type=JSON)


def _catalog_endpoint(
    state: _State, route: str, handler: Callable[[Request], Answer]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        state.counts[route] += 1
        # Read once: a PUT /_control mid-request must not mix two configs in one answer.
        config = state.config
        if config.latency_ms:
            await asyncio.sleep(config.latency_ms / 1000)
        fault = state.picker.pick(config)
        replaced = before_the_answer(fault, config, request)
        if replaced is not None:
            return replaced
        if fault is Fault.TIMEOUT:
            await asyncio.sleep(config.hang_s)
        status, body = handler(request)
        return with_the_answer(fault, config, status, body)

    return endpoint


def create_app(config: SimConfig | None = None, size: int = DEFAULT_SIZE) -> Starlette:
    """The simulator app with `size` movies, starting from `config` (3 s latency, no faults)."""
    quiet_dropped_connections()
    state = _State(config or SimConfig())
    catalog = Catalog(generate_movies(size))

    def movies(request: Request) -> Answer:
        try:
            limit = _int_param(request, "limit", 50, 1, MAX_LIMIT)
            offset = _int_param(request, "offset", 0, 0, None)
        except ValueError as exc:
            return 400, error_body("invalid_parameter", str(exc))
        sort = request.query_params.get("sort")
        if sort not in (None, "id", "-rating"):
            return 400, error_body("invalid_parameter", f"sort must be id or -rating, got {sort!r}")
        genre = request.query_params.get("genre") or None
        return 200, catalog.page(genre, limit, offset, best_rated=sort == "-rating")

    def movie(request: Request) -> Answer:
        raw: str = request.path_params["movie_id"]
        try:
            body = catalog.movie(int(raw))
        except ValueError:
            body = None
        if body is None:
            return 404, error_body("not_found", f"no movie with id {raw!r}")
        return 200, body

    def genres(_: Request) -> Answer:
        return 200, catalog.genres_body

    async def get_control(_: Request) -> Response:
        return _json(state.config.to_dict())

    async def put_control(request: Request) -> Response:
        try:
            changes = json.loads(await request.body())
            if not isinstance(changes, dict):
                raise ValueError("body must be a JSON object")
            state.config = state.config.updated(changes)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            return _json({"error": "invalid_config", "detail": str(exc)}, 400)
        if "seed" in changes:
            state.picker.reseed(state.config.seed)
        return _json(state.config.to_dict())

    async def get_stats(_: Request) -> Response:
        return _json(state.stats())

    async def reset_stats(_: Request) -> Response:
        state.counts = dict.fromkeys(CATALOG_ROUTES, 0)
        return _json(state.stats())

    async def health(_: Request) -> Response:
        return _json({"status": "ok"})

    return Starlette(
        routes=[
            Route("/movies", _catalog_endpoint(state, "/movies", movies)),
            Route("/movies/{movie_id}", _catalog_endpoint(state, "/movies/{id}", movie)),
            Route("/genres", _catalog_endpoint(state, "/genres", genres)),
            Route("/_control", get_control, methods=["GET"]),
            Route("/_control", put_control, methods=["PUT"]),
            Route("/_stats", get_stats, methods=["GET"]),
            Route("/_stats/reset", reset_stats, methods=["POST"]),
            Route("/_health", health, methods=["GET"]),
        ]
    )

"""The simulator app: catalog routes behind latency and faults, and an uncounted control plane."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from infra.catalog_sim.data import generate_movies
from infra.catalog_sim.faults import (
    DroppedResponse,
    Fault,
    FaultPicker,
    SimConfig,
    SlowBodyResponse,
    quiet_dropped_connections,
)

JSON = "application/json"
CATALOG_ROUTES: tuple[str, ...] = ("/movies", "/movies/{id}", "/genres")
MAX_LIMIT = 1000
INVALID_JSON_BODY = b'{"items": [{"id": 1, "title": "trunc'
WRONG_SHAPE_BODY = b'{"unexpected":true}'

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
        self._all = list(self._by_id.values())
        self._by_genre: dict[str, list[bytes]] = {}
        for movie in ordered:
            for genre in movie["genres"]:
                self._by_genre.setdefault(genre.lower(), []).append(self._by_id[int(movie["id"])])
        names = sorted({genre for movie in ordered for genre in movie["genres"]})
        self.genres_body = dumps({"genres": names})

    def page(self, genre: str | None, limit: int, offset: int) -> bytes:
        """One /movies page as JSON bytes."""
        matching = self._all if genre is None else self._by_genre.get(genre.lower(), [])
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
        if fault is Fault.ERROR:
            body = error_body("injected_error", "simulated upstream failure")
            return Response(body, config.error_status, media_type=JSON)
        if fault is Fault.INVALID_JSON:
            return Response(INVALID_JSON_BODY, 200, media_type=JSON)
        if fault is Fault.WRONG_SHAPE:
            return Response(WRONG_SHAPE_BODY, 200, media_type=JSON)
        if fault is Fault.TIMEOUT:
            await asyncio.sleep(config.hang_s)
        status, body = handler(request)
        if fault is Fault.SLOW_BODY:
            return SlowBodyResponse(body, status, config.slow_body_ms / 1000, JSON)
        if fault is Fault.DROP:
            return DroppedResponse(body, status, media_type=JSON)
        return Response(body, status, media_type=JSON)

    return endpoint


def create_app(config: SimConfig | None = None) -> Starlette:
    """The simulator app, starting from `config` (defaults: 3 s latency, no faults)."""
    quiet_dropped_connections()
    state = _State(config or SimConfig())
    catalog = Catalog(generate_movies())

    def movies(request: Request) -> Answer:
        try:
            limit = _int_param(request, "limit", 50, 1, MAX_LIMIT)
            offset = _int_param(request, "offset", 0, 0, None)
        except ValueError as exc:
            return 400, error_body("invalid_parameter", str(exc))
        return 200, catalog.page(request.query_params.get("genre") or None, limit, offset)

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

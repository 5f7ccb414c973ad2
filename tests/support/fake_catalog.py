"""A fake catalog behind httpx.MockTransport and a requests adapter, with injectable faults."""

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import requests
from requests.adapters import BaseAdapter

MOVIES: list[dict[str, Any]] = [
    {"id": 1, "title": "Star Road", "year": 1999, "genres": ["Sci-Fi"], "rating": 8.0},
    {"id": 2, "title": "Laugh Lines", "year": 2004, "genres": ["Comedy"], "rating": 7.0},
    {"id": 3, "title": "Dark Hall", "year": 2011, "genres": ["Horror"], "rating": 6.5},
    {"id": 4, "title": "Space Jokes", "year": 2015, "genres": ["Comedy", "Sci-Fi"], "rating": 6.0},
    {"id": 5, "title": "Deep Orbit", "year": 2020, "genres": ["Sci-Fi"], "rating": 7.5},
    {"id": 6, "title": "Quiet Drama", "year": 1987, "genres": ["Drama"], "rating": 9.0},
]

FAULTS = ("timeout", "connect", "5xx", "404", "invalid_json", "wrong_shape", "drop", "pool", "hang")
# Answers a catalog must not be trusted with (the app's default body limit is 2 MiB).
ABUSES = ("huge", "redirect", "lying_total")
HUGE_BODY = 2 * 1024 * 1024 + 1


@dataclass
class FakeCatalog:
    """Serves MOVIES like the real catalog; set `fault` to make every call fail that way."""

    fault: str | None = None
    hang_s: float = 30.0
    latency_s: float = 0.0
    calls: list[str] = field(default_factory=list)

    def respond(self, request: httpx.Request) -> httpx.Response:
        """Answer one catalog request, or raise the transport error of the current fault."""
        self.calls.append(request.url.path)
        if self.fault == "timeout":
            raise httpx.ReadTimeout("fake read timeout", request=request)
        if self.fault == "pool":
            raise httpx.PoolTimeout("fake pool timeout", request=request)
        if self.fault == "connect":
            raise httpx.ConnectError("fake connection refused", request=request)
        if self.fault == "drop":
            raise httpx.RemoteProtocolError("fake dropped connection", request=request)
        if self.fault == "5xx":
            return httpx.Response(503, json={"error": "unavailable"})
        if self.fault == "404":
            return httpx.Response(404, json={"error": "not_found"})
        if self.fault == "invalid_json":
            return httpx.Response(200, content=b'{"items": [trunc', headers=_JSON)
        if self.fault == "wrong_shape":
            return httpx.Response(200, json={"unexpected": True})
        if self.fault == "huge":
            return httpx.Response(200, content=b"x" * HUGE_BODY, headers=_JSON)
        if self.fault == "redirect":
            return httpx.Response(302, headers={"location": str(request.url)})
        answer = self._serve(request)
        if self.fault == "lying_total" and request.url.path == "/movies":
            body = json.loads(answer.content)
            return httpx.Response(200, json={**body, "total": 10**9})
        return answer

    async def respond_async(self, request: httpx.Request) -> httpx.Response:
        """Async variant, so that a hanging catalog can be cancelled by the deadline."""
        if self.fault == "hang":
            self.calls.append(request.url.path)
            await asyncio.sleep(self.hang_s)
        elif self.latency_s:
            await asyncio.sleep(self.latency_s)
        return self.respond(request)

    def transport(self) -> httpx.MockTransport:
        """The transport to build the app's httpx client with."""
        return httpx.MockTransport(self.respond_async)

    def session(self) -> requests.Session:
        """A requests session whose every call is answered by this fake."""
        session = requests.Session()
        session.mount("http://", _RequestsAdapter(self))
        return session

    def _serve(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/movies":
            query = request.url.params
            genre = query.get("genre")
            limit, offset = int(query.get("limit", 50)), int(query.get("offset", 0))
            genre = genre.casefold() if genre else None
            matching = [
                m for m in MOVIES if genre is None or genre in (g.casefold() for g in m["genres"])
            ]
            if query.get("sort") == "-rating":
                matching.sort(key=lambda m: (-m["rating"], m["id"]))
            page = matching[offset : offset + limit]
            body = {"items": page, "total": len(matching), "limit": limit, "offset": offset}
            return httpx.Response(200, json=body)
        if path.startswith("/movies/"):
            wanted = path.rsplit("/", 1)[1]
            for movie in MOVIES:
                if str(movie["id"]) == wanted:
                    return httpx.Response(200, json=movie)
        return httpx.Response(404, json={"error": "not_found"})


_JSON = {"content-type": "application/json"}
_REQUESTS_ERRORS: dict[type[Exception], type[requests.RequestException]] = {
    httpx.TimeoutException: requests.ReadTimeout,
    httpx.ConnectError: requests.ConnectionError,
    httpx.TransportError: requests.ConnectionError,
}


class _RequestsAdapter(BaseAdapter):
    """Routes requests' calls to the fake, translating its transport errors to requests'."""

    def __init__(self, fake: FakeCatalog) -> None:
        super().__init__()
        self.fake = fake

    def send(self, request: requests.PreparedRequest, **_: Any) -> requests.Response:
        url = request.url or ""
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        fake_request = httpx.Request(request.method or "GET", url, params=params)
        try:
            answer = self.fake.respond(fake_request)
        except httpx.HTTPError as exc:
            mapped = next(e for t, e in _REQUESTS_ERRORS.items() if isinstance(exc, t))
            raise mapped(str(exc), request=request) from exc
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response._content_consumed = True  # iter_content then serves _content, as a real read
        response.headers.update(answer.headers)
        response.url = url
        response.request = request
        return response

    def close(self) -> None:
        pass


def decode(response: httpx.Response) -> Any:
    """Parse a JSON response body, failing the test clearly if it is not JSON."""
    return json.loads(response.content)

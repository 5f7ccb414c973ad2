"""Every request is timed, tagged with a request id and logged as one JSON line."""

import asyncio
import io
import json
from pathlib import Path

import httpx
import pytest
from starlette.types import Message

from movies.observability import build_logger
from movies.settings import Settings
from tests.support.apps import CATALOG_URL, app_with_fakes
from tests.support.fake_catalog import FakeCatalog
from tests.support.logs import fresh_logger

SERVICE = "timing-test"  # each logger's service name is this, then a random suffix


def app_logging_to(stream: io.StringIO, fake: FakeCatalog) -> httpx.AsyncClient:
    app = app_with_fakes(catalog=fake, logger=fresh_logger(SERVICE, stream))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api.test")


def log_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]


async def test_timing_headers_and_one_log_line_per_request() -> None:
    stream = io.StringIO()
    async with app_logging_to(stream, FakeCatalog()) as api:
        response = await api.get("/movies/3", headers={"X-Request-Id": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"
    assert float(response.headers["x-process-time"]) >= 0
    assert response.headers["server-timing"].startswith("app;dur=")
    (line,) = log_lines(stream)
    assert line["message"] == "request"
    assert str(line["service"]).startswith("timing-test")
    assert {k: line[k] for k in ("method", "route", "path", "status", "request_id")} == {
        "method": "GET",
        "route": "/movies/{movie_id}",
        "path": "/movies/3",
        "status": 200,
        "request_id": "trace-42",
    }
    assert isinstance(line["duration_ms"], float)


async def test_errors_are_logged_with_their_status() -> None:
    stream = io.StringIO()
    fake = FakeCatalog(fault="timeout")
    async with app_logging_to(stream, fake) as api:
        response = await api.get("/movies")
    failure, line = log_lines(stream)
    assert (line["status"], line["request_id"]) == (504, response.headers["x-request-id"])
    # The catalog's failure is logged on its own line first, with what the client was told.
    assert (failure["message"], failure["error"], failure["status"]) == (
        "catalog failed",
        "upstream_timeout",
        504,
    )


async def test_unexpected_exception_is_a_json_500_with_request_id() -> None:
    stream = io.StringIO()
    app = app_with_fakes(logger=fresh_logger(SERVICE, stream))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as api:
        response = await api.get("/boom")
    assert response.status_code == 500
    body = response.json()
    assert body == {
        "error": "internal_error",
        "detail": "unexpected server error",
        "request_id": response.headers["x-request-id"],
    }
    assert "secret" not in response.text
    assert any(line.get("status") == 500 for line in log_lines(stream))


@pytest.mark.parametrize(
    ("path", "fault", "status"),
    [("/movies?genre=" + "x" * 5000, None, 414), ("/movies", "hang", 504)],
    ids=["refused before the route", "cut at the deadline"],
)
async def test_answers_the_edge_gives_itself_carry_the_headers_and_a_log_line(
    path: str, fault: str | None, status: int
) -> None:
    stream = io.StringIO()
    settings = Settings(catalog_url=CATALOG_URL, request_deadline_s=0.2)
    app = app_with_fakes(
        settings, catalog=FakeCatalog(fault=fault), logger=fresh_logger(SERVICE, stream)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as api:
        response = await api.get(path)
    assert response.status_code == status
    request_id = response.headers["x-request-id"]
    assert response.json()["request_id"] == request_id
    assert response.headers["x-content-type-options"] == "nosniff"
    (line,) = [line for line in log_lines(stream) if line["message"] == "request"]
    assert (line["status"], line["request_id"]) == (status, request_id)


async def test_a_request_cancelled_by_its_client_is_logged_and_stays_cancelled() -> None:
    stream = io.StringIO()
    app = app_with_fakes(catalog=FakeCatalog(fault="hang"), logger=fresh_logger(SERVICE, stream))
    scope = {
        "type": "http", "method": "GET", "path": "/movies", "raw_path": b"/movies",
        "query_string": b"", "headers": [], "root_path": "", "scheme": "http",
        "http_version": "1.1", "asgi": {"version": "3.0"},
    }  # fmt: skip
    sent: list[Message] = []

    async def receive() -> Message:
        await asyncio.sleep(3600)  # the client never sends a disconnect: the server cancels
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    request = asyncio.create_task(app(scope, receive, send))
    await asyncio.sleep(0.05)
    request.cancel()  # what a server does when the client goes away
    with pytest.raises(asyncio.CancelledError):
        await request
    assert sent == []  # no 504 was made up for a deadline that did not pass
    (line,) = log_lines(stream)
    assert (line["message"], line["path"]) == ("request", "/movies")


def test_log_file_receives_the_same_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "request.log"
    logger = build_logger(str(path))
    logger.info("request", extra={"path": "/health", "status": 200})
    for handler in logger.handlers:
        handler.flush()
    (line,) = path.read_text().splitlines()
    assert json.loads(line)["path"] == "/health"

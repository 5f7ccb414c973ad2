"""The local servers keep an idle connection longer than any client's pool does (5 s), so a
client never sends a request on a connection the server is closing that instant."""

import http.client
import time
from pathlib import Path

from infra.local.processes import HOST, LocalStack, free_port
from infra.local.services import KEEP_ALIVE_S, catalog_service, uvicorn_service

CLIENT_POOL_IDLE_S = 5.0  # httpx's keepalive_expiry and uvicorn's own default


def get(connection: http.client.HTTPConnection, path: str) -> int:
    """GET `path` on this one connection (http.client never reopens one the server closed)."""
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def test_an_idle_connection_is_still_served_after_the_clients_pools_would_drop_it(
    tmp_path: Path,
) -> None:
    assert KEEP_ALIVE_S > CLIENT_POOL_IDLE_S
    catalog, api = free_port(), free_port()
    services = [
        catalog_service(catalog, latency_ms=0),
        # The API's uvicorn flags, on a small app that needs no AWS.
        uvicorn_service(
            "api", "infra.bench.harness.baseline_app:create_app", api, catalog, None, "/constant"
        ),
    ]
    with LocalStack(services, log_dir=tmp_path):
        connections = {
            path: http.client.HTTPConnection(HOST, port, timeout=5)
            for path, port in (("/_health", catalog), ("/constant", api))
        }
        try:
            for path, connection in connections.items():
                assert get(connection, path) == 200
                first = connection.sock
            time.sleep(CLIENT_POOL_IDLE_S + 1)
            for path, connection in connections.items():
                assert get(connection, path) == 200, path
            assert connection.sock is first  # the same connection, not a new one
        finally:
            for connection in connections.values():
                connection.close()

"""The catalog simulator's control plane: set the latency, reset and read the call counter."""

import json
import urllib.request
from typing import Any


class CatalogControl:
    """Talks to `/_control` and `/_stats` of a simulator on loopback."""

    def __init__(self, base_url: str, timeout_s: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 (loopback URL we built)
            self.base_url + path, data=data, method=method
        )
        request.add_header("content-type", "application/json")
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
            return json.loads(response.read())

    def set_latency(self, latency_ms: int) -> None:
        """Every catalog call from now on takes `latency_ms`, with no faults."""
        self._call("PUT", "/_control", {"latency_ms": latency_ms, "error_rate": 0.0})

    def reset(self) -> None:
        """Zero the upstream call counter."""
        self._call("POST", "/_stats/reset")

    def calls(self) -> int:
        """Upstream calls since the last reset."""
        stats: dict[str, Any] = self._call("GET", "/_stats")
        return int(stats["requests"])

"""An issuer's signing keys, read over HTTP from its discovery document and cached."""

import json
import threading
import time
import urllib.request
from collections.abc import Mapping
from typing import Any

from infra.gateway.authorizer import Denied

# API Gateway may cache an issuer's keys for two hours. Locally a restarted issuer has new ones,
# so a token naming a kid the cache does not hold re-reads them, at most this often: a flood of
# tokens with made-up kids cannot make every request wait on the issuer.
JWKS_REFRESH_S = 5.0


class IssuerKeys:
    """The issuer's JWKS, read from its discovery document over HTTP and cached until a token
    names a key it does not hold: requests with known keys never wait on the issuer."""

    def __init__(self, issuer: str, timeout_s: float = 2.0) -> None:
        self._issuer = issuer.rstrip("/")
        self._timeout_s = timeout_s
        self._keys: Mapping[str, Any] = {"keys": []}
        self._read_at = -JWKS_REFRESH_S
        self._lock = threading.Lock()

    def __call__(self, kid: str) -> Mapping[str, Any]:
        """The key set, re-read first if it lacks `kid` (and was not read in the last 5 s)."""
        with self._lock:
            held = any(jwk.get("kid") == kid for jwk in self._keys.get("keys", []))
            if not held and time.monotonic() - self._read_at >= JWKS_REFRESH_S:
                self._read_at = time.monotonic()
                try:
                    discovery = self._get(f"{self._issuer}/.well-known/openid-configuration")
                    self._keys = self._get(discovery["jwks_uri"])
                except (OSError, ValueError, KeyError) as exc:
                    raise Denied("the issuer's keys could not be read") from exc
            return self._keys

    def _get(self, url: str) -> Any:
        if not url.startswith(("http://127.0.0.1", "http://localhost", "https://")):
            raise ValueError(f"refusing to fetch keys from {url}")
        with urllib.request.urlopen(url, timeout=self._timeout_s) as response:  # noqa: S310
            return json.loads(response.read())

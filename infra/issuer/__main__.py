"""`python -m infra.issuer --port 8003`: serve the development OIDC issuer on loopback.

It signs with ISSUER_PRIVATE_KEY (PEM) named ISSUER_KID when set, so that end-to-end tests can
mint tokens of their own that it would have signed; else with the key in ISSUER_KEY_FILE when
set (made there on the first start, so tokens outlive a restart of `make run`); else with a new
key each start.
"""

import argparse
import json
import os
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.gateway.routes import api_scopes, routes_of
from infra.issuer.app import create_app
from infra.issuer.keys import SigningKey
from infra.local.audience import DEFAULT_AUDIENCE
from infra.local.services import KEEP_ALIVE_S
from infra.local.template import load_template


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and serve until stopped."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8003)
    parser.add_argument("--audience", default=DEFAULT_AUDIENCE, help="aud of minted tokens")
    parser.add_argument(
        "--scope",
        default=api_scopes(routes_of(load_template())),
        help="scopes of a token that asks for none (default: those template.yaml's routes name)",
    )
    args = parser.parse_args(argv)
    app = create_app(
        f"http://{args.host}:{args.port}", _key(), audience=args.audience, scope=args.scope
    )
    # Idle connections outlive the clients' pools (KEEP_ALIVE_S).
    uvicorn.run(
        app, host=args.host, port=args.port, log_level="warning", timeout_keep_alive=KEEP_ALIVE_S
    )


def _key() -> SigningKey | None:
    pem = os.environ.get("ISSUER_PRIVATE_KEY")
    if pem:
        return _signing_key(pem, os.environ.get("ISSUER_KID", "dev-key"), "ISSUER_PRIVATE_KEY")
    key_file = os.environ.get("ISSUER_KEY_FILE")
    return kept_key(Path(key_file)) if key_file else None


def kept_key(path: Path) -> SigningKey:
    """The key kept in `path` ({"kid", "pem"}), made and written there (0600) if it is not."""
    if path.exists():
        kept = json.loads(path.read_text())
        return _signing_key(kept["pem"], kept["kid"], str(path))
    key = SigningKey()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump({"kid": key.kid, "pem": key.private_pem()}, out)
    return key


def _signing_key(pem: str, kid: str, source: str) -> SigningKey:
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise SystemExit(f"{source} must hold an RSA private key")
    return SigningKey(private, kid)


if __name__ == "__main__":
    main()

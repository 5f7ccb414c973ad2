"""`python -m infra.issuer --port 8003`: serve the development OIDC issuer on loopback.

It signs with a new key each start, or with ISSUER_PRIVATE_KEY (PEM) named ISSUER_KID when
set, so that end-to-end tests can mint tokens of their own that it would have signed.
"""

import argparse
import os
from collections.abc import Sequence

import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.issuer.app import create_app
from infra.issuer.keys import SigningKey
from infra.local.audience import DEFAULT_AUDIENCE


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and serve until stopped."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8003)
    parser.add_argument("--audience", default=DEFAULT_AUDIENCE, help="aud of minted tokens")
    args = parser.parse_args(argv)
    app = create_app(f"http://{args.host}:{args.port}", _key(), audience=args.audience)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


def _key() -> SigningKey | None:
    pem = os.environ.get("ISSUER_PRIVATE_KEY")
    if not pem:
        return None
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise SystemExit("ISSUER_PRIVATE_KEY must be an RSA private key")
    return SigningKey(private, os.environ.get("ISSUER_KID", "dev-key"))


if __name__ == "__main__":
    main()

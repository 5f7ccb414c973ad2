"""`python -m infra.auth --port 8003`: serve the development OIDC issuer on loopback."""

import argparse
from collections.abc import Sequence

import uvicorn

from infra.auth.issuer import create_app
from infra.auth.keys import DEFAULT_AUDIENCE


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments and serve until stopped."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8003)
    parser.add_argument("--audience", default=DEFAULT_AUDIENCE, help="aud of minted tokens")
    args = parser.parse_args(argv)
    app = create_app(f"http://{args.host}:{args.port}", audience=args.audience)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()

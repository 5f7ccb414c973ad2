"""`python -m infra.catalog_sim`: serve the simulator under uvicorn, configured by env and flags."""

import argparse
import os
import sys
from collections.abc import Sequence

import uvicorn

from infra.catalog_sim.app import DEFAULT_SIZE, MAX_SIZE, create_app
from infra.catalog_sim.faults import SimConfig
from infra.local.services import KEEP_ALIVE_S


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: where to listen and an optional latency override."""
    parser = argparse.ArgumentParser(prog="python -m infra.catalog_sim", description=__doc__)
    # Loopback by default: the simulator has an unauthenticated control plane.
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--latency-ms", type=int, default=None, help="overrides CATALOG_LATENCY_MS")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator until interrupted."""
    args = parse_args(argv)
    try:
        size = int(os.environ.get("CATALOG_SIZE") or DEFAULT_SIZE)
        if not 1 <= size <= MAX_SIZE:
            raise ValueError(f"CATALOG_SIZE must be between 1 and {MAX_SIZE}, got {size}")
        config = SimConfig.from_env(os.environ)
        if args.latency_ms is not None:
            config = config.updated({"latency_ms": args.latency_ms})
    except ValueError as exc:
        print(f"catalog_sim: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(
        create_app(config, size),
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        backlog=2048,
        timeout_keep_alive=KEEP_ALIVE_S,  # longer than the API's pooled connections idle
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

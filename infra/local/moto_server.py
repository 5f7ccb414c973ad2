"""moto's server, one request at a time: the local stand-in for SQS and DynamoDB.

moto's own `moto.server` is threaded, and its SQS model is not safe under concurrent requests:
DeleteMessage rebuilds the queue's message list without the lock SendMessage takes, so a message
sent meanwhile can vanish. Serving one request at a time removes that race; clients must not
long-poll (WaitTimeSeconds=0), or they would hold the server. Serial, each call must also cost
the same however many messages a queue holds: infra.local.moto_speedups sees to that.
"""

import argparse
import os

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple

from infra.local import moto_speedups


def main() -> None:
    """Serve moto on --host/--port until killed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    moto_speedups.install()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, app, threaded=False, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()

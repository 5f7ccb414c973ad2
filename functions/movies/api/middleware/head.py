"""HEAD wherever GET: a HEAD request runs as its GET twin, and is answered without the body.

FastAPI's routes answer only the methods they declare (Starlette's plain Route adds HEAD to GET,
FastAPI's APIRoute does not), and declaring HEAD on each would list every operation twice in
the spec. So the edge runs the GET and keeps its status and headers, Content-Length included
(RFC 9110 9.3.2): what the GET would have answered, gzip and all. A path without GET answers a
HEAD as it answers the GET: 405, Allow naming what it does take.
"""

from starlette.types import Message, Scope, Send

# Set in the twin's scope: the request came as HEAD, nobody will read the body.
HEAD_SCOPE_KEY = "movies.head"


def get_twin(scope: Scope) -> Scope:
    """The scope of the GET to run for a HEAD request.

    A copy: the server keeps its own scope saying HEAD (uvicorn sends no body for a HEAD by it).
    """
    return {**scope, "method": "GET", HEAD_SCOPE_KEY: True}


def without_body(send: Send) -> Send:
    """`send` passing the answer's start (status, headers) and one empty, final body message."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_head

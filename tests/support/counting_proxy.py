"""A loopback TCP proxy that counts the connections it accepts: proof of connection reuse."""

import asyncio
import contextlib
import threading
from collections.abc import Iterator

from infra.local.processes import HOST


class CountingProxy:
    """Forwards every connection to `target_port` and counts them; runs on its own thread."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.accepted = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @contextlib.contextmanager
    def running(self) -> Iterator["CountingProxy"]:
        """Serve for the duration of the with-block."""
        self._thread.start()
        if not self._ready.wait(timeout=5):
            raise TimeoutError("proxy did not start")
        try:
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
            self._thread.join(timeout=5)

    async def _shutdown(self) -> None:
        current = asyncio.current_task()
        for task in asyncio.all_tasks():
            if task is not current:
                task.cancel()
        self._loop.stop()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._serve, HOST, 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.accepted += 1
        upstream_r, upstream_w = await asyncio.open_connection(HOST, self.target_port)
        await asyncio.gather(_pipe(client_r, upstream_w), _pipe(upstream_r, client_w))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()

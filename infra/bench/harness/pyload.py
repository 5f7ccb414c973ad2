"""A tiny built-in load client for machines without ab: HTTP/1.0, no keep-alive, like ab."""

import asyncio
import time
from pathlib import Path
from urllib.parse import urlsplit

from infra.bench.harness.results import NAN, LoadResult, failed_result, percentile


async def _request(host: str, port: int, target: str, timeout_s: float) -> tuple[float, int]:
    """One GET; its latency in ms and status (0 if it failed)."""
    start = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout_s):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(f"GET {target} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode())
            await writer.drain()
            data = await reader.read()  # HTTP/1.0: the server closes after the body
        status_line = data.split(b"\r\n", 1)[0].split()
        status = int(status_line[1]) if len(status_line) > 1 else 0
    except (OSError, TimeoutError, ValueError):
        status = 0
    finally:
        if writer is not None:
            writer.close()
    return (time.perf_counter() - start) * 1000, status


async def _load(url: str, n: int, c: int, timeout_s: float) -> tuple[float, list[float], list[int]]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "") or "/"
    per_request_s = min(timeout_s, 60.0)
    latencies: list[float] = []
    statuses: list[int] = []
    remaining = n - 1

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            ms, status = await _request(host, port, target, per_request_s)
            latencies.append(ms)
            statuses.append(status)

    start = time.perf_counter()
    async with asyncio.timeout(timeout_s):
        ms, status = await _request(host, port, target, per_request_s)  # alone first, as ab does
        latencies.append(ms)
        statuses.append(status)
        await asyncio.gather(*(worker() for _ in range(min(c, max(remaining, 0)))))
    return time.perf_counter() - start, latencies, statuses


class PythonLoad:
    """asyncio streams, one connection per request; good enough for smoke runs, not for ab's job."""

    name = "python"

    def run(self, url: str, n: int, c: int, log: Path, timeout_s: float) -> LoadResult:
        """Run the load and write a short ab-like report to `log`."""
        try:
            elapsed, latencies, statuses = asyncio.run(_load(url, n, c, timeout_s))
        except TimeoutError:
            log.write_text(f"python load {url} n={n} c={c}: ran past {timeout_s:.0f} s\n")
            return failed_result(n, c, log, f"ran past {timeout_s:.0f} s")
        ordered = sorted(latencies)
        failed = statuses.count(0)
        non_2xx = sum(1 for s in statuses if s and not 200 <= s < 300)
        result = LoadResult(
            n=n,
            c=c,
            complete=len(statuses) - failed,
            time_s=elapsed,
            rps=len(statuses) / elapsed if elapsed > 0 else NAN,
            p50_ms=percentile(ordered, 50),
            p95_ms=percentile(ordered, 95),
            p99_ms=percentile(ordered, 99),
            max_ms=ordered[-1] if ordered else NAN,
            failed=failed,
            non_2xx=non_2xx,
            log=log,
        )
        log.write_text(
            f"python load {url} n={n} c={c}\n"
            f"Time taken for tests:   {result.time_s:.3f} seconds\n"
            f"Complete requests:      {result.complete}\n"
            f"Failed requests:        {result.failed}\n"
            f"Non-2xx responses:      {result.non_2xx}\n"
            f"Requests per second:    {result.rps:.2f} [#/sec] (mean)\n"
            f"p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, "
            f"p99 {result.p99_ms:.1f} ms, max {result.max_ms:.1f} ms\n"
        )
        return result

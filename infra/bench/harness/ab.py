"""ApacheBench: run `ab`, keep its raw output, parse what the tables need."""

import re
import subprocess
from pathlib import Path

from infra.bench.harness.results import NAN, LoadResult, failed_result, percentile

INSTALL_HINT = (
    "ab (ApacheBench) is not installed. Install it with one of:\n"
    "  sudo apt-get update && sudo apt-get install -y apache2-utils   # Debian, Ubuntu\n"
    "  sudo dnf install -y httpd-tools                                # Fedora, RHEL\n"
    "  brew install httpd                                             # macOS"
)

_FIELDS = {
    "time_s": r"Time taken for tests:\s+([\d.]+) seconds",
    "complete": r"Complete requests:\s+(\d+)",
    "failed": r"Failed requests:\s+(\d+)",
    "non_2xx": r"Non-2xx responses:\s+(\d+)",
    "rps": r"Requests per second:\s+([\d.]+)",
}
_TEXT_PERCENTILE = re.compile(r"^\s*(\d+)%\s+(\d+)", re.MULTILINE)


def ab_missing_message() -> str:
    """What to do when ab is missing."""
    return INSTALL_HINT


def parse_ab_text(text: str) -> dict[str, float]:
    """The summary numbers of ab's report; a missing Non-2xx line means zero."""
    values: dict[str, float] = {"non_2xx": 0.0}
    for name, pattern in _FIELDS.items():
        match = re.search(pattern, text)
        if match:
            values[name] = float(match.group(1))
    for pct, ms in _TEXT_PERCENTILE.findall(text):
        values[f"p{pct}"] = float(ms)
    return values


def parse_ab_tsv(text: str) -> list[float]:
    """ab -g output: each request's total time (ttime, ms), sorted.

    Used instead of ab -e, whose top percentiles read past the end of its array when n < 100.
    """
    lines = text.splitlines()
    if not lines:
        return []
    column = lines[0].split("\t").index("ttime")
    return sorted(float(line.split("\t")[column]) for line in lines[1:] if line.strip())


class AbLoad:
    """ApacheBench, HTTP/1.0 without keep-alive, as in the lesson's `ab -n 200 -c 100`."""

    name = "ab"

    def __init__(self, path: str = "ab") -> None:
        self.path = path

    def command(self, url: str, n: int, c: int, tsv: Path, timeout_s: float) -> list[str]:
        """The ab command line: -r keeps going on socket errors, -s bounds each socket wait."""
        socket_s = max(1, int(timeout_s))
        options = ["-q", "-r", "-s", str(socket_s), "-n", str(n), "-c", str(c), "-g", str(tsv)]
        return [self.path, *options, url]

    def run(self, url: str, n: int, c: int, log: Path, timeout_s: float) -> LoadResult:
        """Run ab, write its report to `log` and each request's times to `log` with .tsv."""
        tsv = log.with_suffix(".tsv")
        argv = self.command(url, n, c, tsv, timeout_s)
        try:
            done = subprocess.run(  # noqa: S603 (fixed argv, loopback URL)
                argv, capture_output=True, text=True, timeout=timeout_s + 10, check=False
            )
        except subprocess.TimeoutExpired:
            log.write_text(f"$ {' '.join(argv)}\nkilled after {timeout_s + 10:.0f} s\n")
            return failed_result(n, c, log, f"ab ran past {timeout_s + 10:.0f} s")
        log.write_text(f"$ {' '.join(argv)}\n{done.stdout}{done.stderr}")
        values = parse_ab_text(done.stdout)
        if done.returncode != 0 or "time_s" not in values:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return failed_result(n, c, log, f"ab exit {done.returncode}: {last}")
        times = parse_ab_tsv(tsv.read_text()) if tsv.exists() else []

        def pct(p: int) -> float:
            return percentile(times, p) if times else values.get(f"p{p}", NAN)

        return LoadResult(
            n=n,
            c=c,
            complete=int(values.get("complete", 0)),
            time_s=values["time_s"],
            rps=values.get("rps", NAN),
            p50_ms=pct(50),
            p95_ms=pct(95),
            p99_ms=pct(99),
            max_ms=pct(100),
            failed=int(values.get("failed", 0)),
            non_2xx=int(values["non_2xx"]),
            log=log,
        )

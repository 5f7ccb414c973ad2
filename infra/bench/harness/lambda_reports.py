"""Lambda's REPORT lines, read back from a log: what each invocation was billed, by request id."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# The platform line as Lambda writes it (and infra.gateway.environments.Report), tab-separated;
# Init Duration only on an environment's first invocation.
_REPORT = re.compile(
    r"REPORT RequestId: (?P<id>\S+)\t"
    r"Duration: (?P<duration>[\d.]+) ms\t"
    r"Billed Duration: (?P<billed>\d+) ms\t"
    r"Memory Size: (?P<memory>\d+) MB\t"
    r"Max Memory Used: (?P<used>\d+) MB"
    r"(?:\tInit Duration: (?P<init>[\d.]+) ms)?"
)


@dataclass(frozen=True)
class Invocation:
    """One REPORT line."""

    request_id: str
    duration_ms: float
    billed_ms: int
    memory_mb: int
    max_memory_used_mb: int
    init_ms: float | None  # set on a cold start only

    @property
    def cold(self) -> bool:
        """True for an environment's first invocation (the line carries Init Duration)."""
        return self.init_ms is not None


def parse_report(line: str) -> Invocation | None:
    """The invocation a REPORT line describes, or None for any other line."""
    match = _REPORT.search(line)
    if match is None:
        return None
    init = match.group("init")
    return Invocation(
        request_id=match.group("id"),
        duration_ms=float(match.group("duration")),
        billed_ms=int(match.group("billed")),
        memory_mb=int(match.group("memory")),
        max_memory_used_mb=int(match.group("used")),
        init_ms=float(init) if init is not None else None,
    )


def parse_reports(lines: Iterable[str]) -> dict[str, Invocation]:
    """Every REPORT among `lines` (other output interleaves with them), by request id."""
    found = (parse_report(line) for line in lines)
    return {invocation.request_id: invocation for invocation in found if invocation is not None}


def read_reports(log: Path) -> dict[str, Invocation]:
    """The REPORT lines of a service's output file (LocalStack's `<log_dir>/<name>.out`)."""
    if not log.exists():
        return {}
    return parse_reports(log.read_text(errors="replace").splitlines())

"""Cold start as deployed: each handler's init in a fresh CPython 3.13 on a read-only copy of the
x86_64 twin, interleaved with its floor from the same copy, and where the time goes."""

import re
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from infra.bench.harness.children import last_line
from infra.bench.harness.results_json import load
from infra.bench.suites.coldstart.events import Setup, no_invocations, sample_events, worker_batches
from infra.bench.suites.coldstart.twin import lambda_environment, lambda_python, read_only_copy
from infra.local.lambda_runtime import EVENTS

PROBE = Path(__file__).with_name("probe.py")
# -S: only the standard library and the copy (PYTHONPATH) are importable, as on Lambda; -P: not
# the probe's own directory. -I would also drop PYTHONPATH, which is how Lambda finds /var/task.
ISOLATION = ("-S", "-P")
_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$", re.MULTILINE)
_RESULT = "COLDSTART "


@dataclass(frozen=True)
class Subject:
    """One function's handler and the floor it is held to."""

    function: str
    handler: str
    floor: tuple[str, ...]
    invocations: Setup = no_invocations  # what it is invoked with after init, in each run


SUBJECTS = (
    Subject(
        "ApiFunction",
        "handlers.api",
        ("fastapi",),
        sample_events(EVENTS / "http-api" / "health.json", EVENTS / "http-api" / "movies.json"),
    ),
    Subject("WorkerFunction", "handlers.worker", ("pydantic", "boto3"), worker_batches),
)


@dataclass(frozen=True)
class ImportCost:
    """One module in -X importtime's report."""

    module: str
    self_ms: float
    cumulative_ms: float
    depth: int = 0


@dataclass
class ColdStart:
    """One function's cold starts, each in a fresh process, and its floor's."""

    function: str
    handler: str
    floor: tuple[str, ...]  # the modules its floor imports
    reason: str = ""  # why it was not measured; empty when it was
    init_s: list[float] = field(default_factory=list)
    floor_s: list[float] = field(default_factory=list)
    names: tuple[str, ...] = ()  # the invocations', in order
    invocations: list[list[float]] = field(default_factory=list)  # each run's, in event order
    statuses: set[int | None] = field(default_factory=set)  # every invocation's statusCode
    costs: list[ImportCost] = field(default_factory=list)  # the handler's import subtree
    floor_modules: set[str] = field(default_factory=set)  # every module the floor imports

    @property
    def median_init_s(self) -> float:
        """Median time to import the handler module."""
        return statistics.median(self.init_s) if self.init_s else float("nan")

    @property
    def median_floor_s(self) -> float:
        """Median time to import the floor's modules."""
        return statistics.median(self.floor_s) if self.floor_s else float("nan")

    @property
    def ratio(self) -> float:
        """Init ÷ floor, medians of the same run."""
        return self.median_init_s / self.median_floor_s if self.floor_s else float("nan")

    def median_invocation_s(self, index: int) -> float:
        """Median latency of the `index`-th invocation (0: the first, cold one)."""
        values = [run[index] for run in self.invocations if len(run) > index]
        return statistics.median(values) if values else float("nan")

    @property
    def median_init_and_first_s(self) -> float:
        """Median of each run's init plus its first invocation: what a cold environment costs
        before its first answer, wherever a cost sits between the two."""
        runs = zip(self.init_s, self.invocations, strict=True)
        values = [init + run[0] for init, run in runs if run]
        return statistics.median(values) if values else float("nan")

    def beyond_floor(self) -> list[ImportCost]:
        """The handler's imports that its floor does not import, costliest self time first."""
        extra = [c for c in self.costs if c.module not in self.floor_modules]
        return sorted(extra, key=lambda c: c.self_ms, reverse=True)

    def top(self, n: int = 10, max_depth: int | None = None) -> list[ImportCost]:
        """The n costliest modules by self time, or by cumulative time down to `max_depth`."""
        if max_depth is None:
            return sorted(self.costs, key=lambda c: c.self_ms, reverse=True)[:n]
        below = [c for c in self.costs if 1 <= c.depth <= max_depth]
        return sorted(below, key=lambda c: c.cumulative_ms, reverse=True)[:n]


def parse_importtime(stderr: str) -> list[ImportCost]:
    """Every line of -X importtime output, in import order, with its nesting depth."""
    return [
        ImportCost(name, int(self_us) / 1000, int(cum_us) / 1000, len(indent) // 2)
        for self_us, cum_us, indent, name in _IMPORTTIME.findall(stderr)
    ]


def subtree(costs: list[ImportCost], module: str) -> list[ImportCost]:
    """`module`'s line and everything it imported (importtime lists children before parents)."""
    end = next((i for i, c in enumerate(costs) if c.module == module and c.depth == 0), None)
    if end is None:
        return []
    start = end
    while start > 0 and costs[start - 1].depth > 0:
        start -= 1
    return costs[start : end + 1]


def _probe(
    python: str, env: dict[str, str], args: list[str], timeout_s: float
) -> "subprocess.CompletedProcess[str]":
    return _python(python, env, [str(PROBE), *args], timeout_s)


def _python(
    python: str, env: dict[str, str], args: list[str], timeout_s: float
) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(  # noqa: S603 (our interpreter, our arguments)
        [python, *ISOLATION, *args],
        cwd=env["PYTHONPATH"], env=env, capture_output=True, text=True, timeout=timeout_s,
        check=False,
    )  # fmt: skip


@dataclass(frozen=True)
class Invocation:
    """One invocation in the probe: its event file, time, statusCode, an SQS batch's failures."""

    event: str
    s: float
    status: int | None
    failed_records: int = 0


@dataclass(frozen=True)
class ProbeResult:
    """What probe.py prints (standard library only, so as a JSON line) after `COLDSTART `."""

    init_s: float
    invocations: list[Invocation]


def _result(done: "subprocess.CompletedProcess[str]") -> ProbeResult:
    """The probe's init time and invocations, from the last line it marked as its result; an
    invocation that reported failed records fails the measure."""
    lines = [line for line in done.stdout.splitlines() if line.startswith(_RESULT)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"probe failed ({done.returncode}): {last_line(done.stderr)}")
    result = load(lines[-1].removeprefix(_RESULT), ProbeResult)
    if failed := sum(i.failed_records for i in result.invocations):
        raise RuntimeError(f"{failed} records failed in the handler's invocations")
    return result


def measure(subject: Subject, runs: int, timeout_s: float = 120) -> ColdStart:
    """`runs` fresh processes of the handler, each followed by one of its floor."""
    cold = ColdStart(subject.function, subject.handler, subject.floor)
    try:
        python = lambda_python()
        with read_only_copy(subject.function) as task, subject.invocations() as calls:
            env = lambda_environment(subject.function, task) | calls.env
            cold.names = calls.names
            floor = [",".join(subject.floor)]
            for run in range(runs):
                handler = [subject.handler, *map(str, calls.events(run))]
                result = _result(_probe(python, env, handler, timeout_s))
                cold.init_s.append(result.init_s)
                cold.invocations.append([i.s for i in result.invocations])
                cold.statuses.update(i.status for i in result.invocations)
                cold.floor_s.append(_result(_probe(python, env, floor, timeout_s)).init_s)
            importtime = ["-X", "importtime", "-c", f"import {subject.handler}"]
            report = _python(python, env, importtime, timeout_s)
            cold.costs = subtree(parse_importtime(report.stderr), subject.handler)
            importtime[-1] = f"import {', '.join(subject.floor)}"
            report = _python(python, env, importtime, timeout_s)
            cold.floor_modules = {c.module for c in parse_importtime(report.stderr)}
    except (ImportError, OSError, RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
        cold.reason = f"not measured: {exc}"
    return cold


def measure_all(runs: int) -> list[ColdStart]:
    """Every function's cold start."""
    return [measure(subject, runs) for subject in SUBJECTS]

"""Cold import of a handler module: fresh processes, timed, and where the time goes."""

import re
import statistics
import subprocess
import time
from dataclasses import dataclass, field

from infra.bench.probe_env import last_line, run_python

_TIMED = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"
_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class ImportCost:
    """One module in -X importtime's report."""

    module: str
    self_ms: float
    cumulative_ms: float


@dataclass(frozen=True)
class ColdImport:
    """Cold imports of one handler module, each in a fresh interpreter."""

    module: str
    reason: str = ""  # why it was not measured; empty when it was
    import_s: list[float] = field(default_factory=list)
    process_s: list[float] = field(default_factory=list)
    top_self: list[ImportCost] = field(default_factory=list)
    cumulative_ms: float = float("nan")

    @property
    def median_import_s(self) -> float:
        """Median time of the import statement alone."""
        return statistics.median(self.import_s) if self.import_s else float("nan")

    @property
    def median_process_s(self) -> float:
        """Median wall time of `python -c "import ..."`, interpreter start-up included."""
        return statistics.median(self.process_s) if self.process_s else float("nan")


def parse_importtime(stderr: str) -> list[ImportCost]:
    """Every line of -X importtime output, in import order."""
    return [
        ImportCost(name, int(self_us) / 1000, int(cumulative_us) / 1000)
        for self_us, cumulative_us, _, name in _IMPORTTIME.findall(stderr)
    ]


def cold_import(module: str, runs: int, env: dict[str, str], timeout_s: float = 60) -> ColdImport:
    """Time `import module` in `runs` fresh processes (after one untimed run that writes .pyc)."""
    snippet = _TIMED.format(module)
    try:
        first = run_python(["-c", snippet], env, timeout_s)
        if first.returncode != 0:
            missing = f"No module named '{module}'" in first.stderr
            reason = "not available yet" if missing else f"failed: {last_line(first.stderr)}"
            return ColdImport(module, reason)
        import_s: list[float] = []
        process_s: list[float] = []
        for _ in range(runs):
            start = time.perf_counter()
            done = run_python(["-c", snippet], env, timeout_s)
            process_s.append(time.perf_counter() - start)
            import_s.append(float(last_line(done.stdout)))
        report = run_python(["-X", "importtime", "-c", f"import {module}"], env, timeout_s)
    except (subprocess.TimeoutExpired, ValueError) as exc:
        return ColdImport(module, f"failed: {exc}")
    costs = parse_importtime(report.stderr)
    top = sorted(costs, key=lambda cost: cost.self_ms, reverse=True)[:10]
    total = next((c.cumulative_ms for c in costs if c.module == module), float("nan"))
    return ColdImport(module, "", import_s, process_s, top, total)

"""One results JSON per run: what ran where (RunInfo) and a suite's typed records, read back."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import TypeAdapter

from infra.bench.harness.machine import commit, describe


@dataclass(frozen=True)
class RunInfo:
    """The head of every results file: which suite, on what machine, at which commit, when."""

    suite: str
    machine: str
    commit: str
    started_utc: str  # YYYY-MM-DD HH:MM:SS


def run_info(suite: str, loadgen: str | None) -> RunInfo:
    """This run's RunInfo; `loadgen` as machine.describe takes it (None: no load generator)."""
    started = f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}"
    return RunInfo(suite, describe(loadgen), commit(), started)


def dump(value: object) -> str:
    """`value` (a dataclass, nested ones, paths, sets) as indented JSON; NaN stays NaN, which
    Python's json reads back, where pydantic's own encoder would write null and lose the float."""
    plain = TypeAdapter(type(value)).dump_python(value, mode="json")
    return json.dumps(plain, indent=2, ensure_ascii=False) + "\n"


def load[T](text: str, kind: type[T]) -> T:
    """JSON written by `dump`, validated back into `kind`."""
    return TypeAdapter(kind).validate_python(json.loads(text))


def results_path(out: Path, suite: str) -> Path:
    """Where a suite's results go: `<out>/<suite>.json`."""
    return out / f"{suite}.json"


def write_results(out: Path, suite: str, results: object) -> Path:
    """Write a suite's results to `<out>/<suite>.json`; return the path."""
    out.mkdir(parents=True, exist_ok=True)
    path = results_path(out, suite)
    path.write_text(dump(results))
    return path


def read_results[T](path: Path, kind: type[T]) -> T:
    """A results file, as the suite's results dataclass."""
    return load(path.read_text(), kind)

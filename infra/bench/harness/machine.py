"""A one-line description of the machine a benchmark ran on."""

import os
import platform
import re
import shutil
import subprocess

from infra.local.processes import ROOT


def _run(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout + done.stderr


def cpu_model() -> str:
    """lscpu's model name, else /proc/cpuinfo's, else platform's guess."""
    if shutil.which("lscpu"):
        match = re.search(r"^Model name:\s*(.+)$", _run(["lscpu"]), re.MULTILINE)
        if match:
            return match.group(1).strip()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def ab_version() -> str:
    """ab's version line, or 'not installed'."""
    path = shutil.which("ab")
    if not path:
        return "not installed"
    match = re.search(r"Version ([\w.]+)", _run([path, "-V"]))
    return f"ApacheBench {match.group(1)}" if match else "ApacheBench"


def describe(loadgen: str | None) -> str:
    """Cores, CPU, OS, Python and load generator (None: no load), for the top of a report."""
    cores = os.cpu_count() or 0
    text = (
        f"{cores} cores, {cpu_model()}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )
    if loadgen is None:
        return text
    return (
        text
        + "; load generator: "
        + (ab_version() if loadgen == "ab" else "built-in Python client (ab not used)")
    )


def commit() -> str:
    """The checked-out commit (short hash, `+dirty` if the tree has changes), or '' off git."""
    head = _run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).strip()
    if not re.fullmatch(r"[0-9a-f]{4,40}", head):
        return ""
    dirty = _run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"]).strip()
    return head + ("+dirty" if dirty else "")

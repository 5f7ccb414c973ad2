"""The local stack's watcher: a stateless part that dies comes back; one that cannot is named."""

import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

from infra.local.processes import RESTARTS_PER_MINUTE, LocalStack, Service, free_port
from infra.local.run_local import busy_ports

# Dies with code 1 on its first run, then stays up: a poller killed once by a moto stall.
DIES_ONCE = """
import pathlib, sys, time
marker = pathlib.Path(sys.argv[1])
if not marker.exists():
    marker.write_text("died once")
    sys.exit(1)
time.sleep(60)
"""


def python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def counted_exit(code: int, starts: Path) -> list[str]:
    """A process that notes each start in `starts`, then exits with `code`."""
    program = f"import sys; open(sys.argv[1], 'a').write('start\\n'); sys.exit({code})"
    return python(program, str(starts))


def wait_for(condition: Callable[[], object], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_restartable_service_that_dies_is_started_again(tmp_path: Path) -> None:
    service = Service("poller-1", python(DIES_ONCE, str(tmp_path / "marker")), "", restart=True)
    with LocalStack([service], log_dir=tmp_path / "logs", watch_s=0.05) as stack:
        wait_for(lambda: stack.exited() and stack.processes["poller-1"].poll() is None)
        time.sleep(0.3)  # several watches: it stays up
        assert stack.exited() == ["poller-1"]
        assert stack.down() == []
        assert stack.processes["poller-1"].poll() is None


def test_a_service_that_keeps_dying_is_reported_down_in_one_line(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    service = Service("poller-2", counted_exit(3, starts), "", restart=True)
    with LocalStack([service], log_dir=tmp_path, watch_s=0.05) as stack:
        wait_for(stack.down)
        assert stack.down() == [
            f"poller-2 exited with code 3, after {RESTARTS_PER_MINUTE} restarts within a minute"
        ]
        assert stack.exited() == ["poller-2"]
    assert starts.read_text().count("start") == RESTARTS_PER_MINUTE + 1


def test_a_service_that_holds_state_is_not_restarted(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    service = Service("aws", counted_exit(9, starts), "")
    with LocalStack([service], log_dir=tmp_path, watch_s=0.05) as stack:
        wait_for(stack.down)
        time.sleep(0.2)  # several watches
        assert stack.down() == ["aws exited with code 9 (not restartable)"]
    assert starts.read_text() == "start\n"


def test_stopping_the_stack_restarts_nothing_and_leaves_no_process(tmp_path: Path) -> None:
    service = Service("api", python("import time; time.sleep(60)"), "", restart=True)
    stack = LocalStack([service], log_dir=tmp_path, watch_s=0.05)
    with stack:
        process = stack.processes["api"]
    assert process.poll() is not None
    assert stack.exited() == []


def test_a_busy_port_is_named_in_one_line_with_the_setting_that_moves_it() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        busy = listener.getsockname()[1]
        free = free_port()
        assert busy_ports({"API_PORT": busy, "CATALOG_PORT": free}) == [
            f"port {busy} (API_PORT) is in use: stop what holds it, "
            "or run with API_PORT=<another port>"
        ]

"""The collector pauses only while the Lambda runtime loads our entry module, then resumes with
what init made frozen."""

import gc
from collections.abc import Iterator

import pytest

from handlers.init_gc import init_done, pause_for_init


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def test_outside_lambda_the_collector_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("_HANDLER", raising=False)
    pause_for_init()
    assert gc.isenabled()


def test_another_handler_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_HANDLER", "app.handler")
    pause_for_init()
    assert gc.isenabled()


@pytest.mark.parametrize("handler", ["handlers.worker.handler", "handlers/worker.handler"])
def test_paused_until_the_entry_module_is_done(
    monkeypatch: pytest.MonkeyPatch, handler: str
) -> None:
    monkeypatch.setenv("_HANDLER", handler)
    pause_for_init()
    assert not gc.isenabled()
    init_done("handlers.batch")  # a module the entry module imports: still init
    assert not gc.isenabled()
    init_done("handlers.worker")
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0

"""SnapStart's hooks on their own: a snapshot holding a client is refused, the imports and
preparations run before it, each restored environment reseeds, and the runtime gets both hooks.

The deployed module through both hooks in a fresh interpreter: tests/functional/test_snapstart.py.
"""

import random
import sys

import pytest

from handlers.snapstart import SnapshotHooks, SnapshotNotClean
from movies import lazy


def test_before_snapshot_refuses_a_snapshot_that_holds_a_client() -> None:
    client = lazy.Lazy(object, "test client")
    client.get()
    with pytest.raises(SnapshotNotClean, match="test client"):
        SnapshotHooks(imports=()).before_snapshot()
    client.reset()


def test_before_snapshot_imports_and_prepares() -> None:
    prepared: list[str] = []
    hooks = SnapshotHooks(
        imports=("colorsys",), prepare=(lambda: prepared.append("tracer"),), made=list
    )  # made=list: other tests in this process made clients; a deployed snapshot has none
    sys.modules.pop("colorsys", None)
    hooks.before_snapshot()
    assert prepared == ["tracer"]
    assert "colorsys" in sys.modules


def test_after_restore_gives_each_environment_its_own_random_state() -> None:
    random.seed(1234)  # as if init had seeded it before the snapshot
    snapshotted = random.random()
    random.seed(1234)
    SnapshotHooks().after_restore()
    assert random.random() != snapshotted


def test_register_hands_both_hooks_to_the_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers.snapstart as snapstart

    registered: list[str] = []
    monkeypatch.setattr(snapstart, "register_before_snapshot", lambda f: registered.append("b"))
    monkeypatch.setattr(snapstart, "register_after_restore", lambda f: registered.append("a"))
    SnapshotHooks().register()
    assert registered == ["b", "a"]

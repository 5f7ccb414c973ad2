"""Thread-safe, create-on-first-use values: clients that a cold start need not pay for.

Every tracked Lazy (a client, session or pool) is known to `created()`, so a SnapStart snapshot
can prove it holds none (handlers.snapstart): each must be made after restore, never captured.
"""

import threading
import weakref
from collections.abc import Callable
from typing import Any

_ALL: "weakref.WeakSet[Lazy[Any]]" = weakref.WeakSet()


class Lazy[T]:
    """Calls `factory` once, on the first `get()`, from whichever thread asks first."""

    def __init__(self, factory: Callable[[], T], name: str = "", *, track: bool = True) -> None:
        """`track`: whether `created()` lists it (false for what holds no connection)."""
        self._factory = factory
        self._value: T | None = None
        self._lock = threading.Lock()
        self.name = name or getattr(factory, "__qualname__", repr(factory))
        if track:
            _ALL.add(self)

    def get(self) -> T:
        """The value, created now if this is the first call."""
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
        return self._value

    def reset(self) -> T | None:
        """Forget the value (the next `get()` makes a new one); return it, for closing."""
        with self._lock:
            value, self._value = self._value, None
        return value

    @property
    def created(self) -> bool:
        """Whether the value exists yet."""
        return self._value is not None


def created() -> list[str]:
    """The names of every tracked Lazy in this process whose value exists."""
    return sorted(lazy.name for lazy in list(_ALL) if lazy.created)

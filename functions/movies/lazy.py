"""Thread-safe, create-on-first-use values: clients that a cold start need not pay for."""

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """Calls `factory` once, on the first `get()`, from whichever thread asks first."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """The value, created now if this is the first call."""
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
        return self._value

    @property
    def created(self) -> bool:
        """Whether the value exists yet."""
        return self._value is not None

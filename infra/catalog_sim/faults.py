"""The simulator's settings and the per-request fault draw."""

import asyncio
import dataclasses
import enum
import logging
import math
import random
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send


class Fault(enum.Enum):
    """One way a catalog answer can go wrong."""

    ERROR = "error_rate"
    TIMEOUT = "timeout_rate"
    INVALID_JSON = "invalid_json_rate"
    SLOW_BODY = "slow_body_rate"
    DROP = "drop_rate"
    WRONG_SHAPE = "wrong_shape_rate"
    LYING_TOTAL = "lying_total_rate"  # a /movies page claiming 10^9 movies
    HUGE_BODY = "huge_body_rate"  # a 200 whose body (streamed, no Content-Length) is huge
    REDIRECT = "redirect_rate"  # a 302 back to the same URL


RATE_FIELDS: tuple[str, ...] = tuple(fault.value for fault in Fault)
# Bounded so a "hanging" catalog always answers eventually and never pins a connection forever.
MAX_HANG_S = 3600.0
SLOW_BODY_CHUNKS = 10
_INT_BOUNDS: dict[str, tuple[int | None, int | None]] = {
    "latency_ms": (0, None),
    "seed": (None, None),
    "error_status": (500, 599),
    "slow_body_ms": (0, None),
    "huge_body_bytes": (0, 1 << 30),
}


@dataclasses.dataclass(frozen=True)
class SimConfig:
    """Latency and fault probabilities; the rates are validated to sum to at most 1."""

    latency_ms: int = 3000
    seed: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    timeout_rate: float = 0.0
    hang_s: float = 30.0
    invalid_json_rate: float = 0.0
    slow_body_rate: float = 0.0
    slow_body_ms: int = 5000
    drop_rate: float = 0.0
    wrong_shape_rate: float = 0.0
    lying_total_rate: float = 0.0
    huge_body_rate: float = 0.0
    huge_body_bytes: int = 16 * 1024 * 1024
    redirect_rate: float = 0.0

    def __post_init__(self) -> None:
        for name, (low, high) in _INT_BOUNDS.items():
            value = getattr(self, name)
            # bool is an int subclass, but `true` as a latency is a caller mistake.
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be an integer")
            if low is not None and value < low:
                raise ValueError(f"{name} must be at least {low}")
            if high is not None and value > high:
                raise ValueError(f"{name} must be at most {high}")
        for name in (*RATE_FIELDS, "hang_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} must be a number")
            limit = MAX_HANG_S if name == "hang_s" else 1.0
            if not (math.isfinite(value) and 0.0 <= value <= limit):
                raise ValueError(f"{name} must be in [0, {limit:g}]")
            object.__setattr__(self, name, float(value))
        if (total := sum(self.rates().values())) > 1.0 + 1e-9:
            raise ValueError(f"fault rates sum to {total:g}, more than 1")

    def rates(self) -> dict[Fault, float]:
        """The probability of each fault."""
        return {fault: float(getattr(self, fault.value)) for fault in Fault}

    def to_dict(self) -> dict[str, Any]:
        """The settings as the control plane shows them."""
        return dataclasses.asdict(self)

    def updated(self, changes: Mapping[str, Any]) -> "SimConfig":
        """A copy with `changes` applied; unknown keys or bad values raise ValueError."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "SimConfig":
        """Settings from CATALOG_<FIELD> variables (e.g. CATALOG_LATENCY_MS), defaults elsewhere."""
        changes: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            raw = environ.get(f"CATALOG_{field.name.upper()}")
            if raw is None or not raw.strip():
                continue
            try:
                changes[field.name] = int(raw) if field.type is int else float(raw)
            except ValueError:
                raise ValueError(f"CATALOG_{field.name.upper()}={raw!r} is not a number") from None
        return cls(**changes)


class FaultPicker:
    """Draws at most one fault per request from a single seeded random number."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - reproducible chaos, not security

    def reseed(self, seed: int) -> None:
        """Restart the draw sequence."""
        self._rng.seed(seed)

    def pick(self, config: SimConfig) -> Fault | None:
        """The fault for this request, or None; one draw whatever the rates, so runs replay."""
        draw = self._rng.random()
        threshold = 0.0
        for fault, rate in config.rates().items():
            threshold += rate
            if draw < threshold:
                return fault
        return None


class ConnectionDropped(Exception):
    """Raised mid-body so the server aborts the connection instead of finishing the response."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


_QUIET_DROPS = _QuietDrops()


def quiet_dropped_connections() -> None:
    """Keep uvicorn from logging a traceback for every simulated drop; idempotent."""
    logging.getLogger("uvicorn.error").addFilter(_QUIET_DROPS)


class SlowBodyResponse(Response):
    """Sends the headers at once, then the body in chunks spread over `delay_s`."""

    def __init__(self, content: bytes, status_code: int, delay_s: float, media_type: str) -> None:
        super().__init__(content, status_code, media_type=media_type)
        self.delay_s = delay_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        size = max(1, -(-len(self.body) // SLOW_BODY_CHUNKS))
        chunks = [self.body[i : i + size] for i in range(0, len(self.body), size)] or [b""]
        for index, chunk in enumerate(chunks):
            await asyncio.sleep(self.delay_s / len(chunks))
            await send(
                {"type": "http.response.body", "body": chunk, "more_body": index < len(chunks) - 1}
            )


class DroppedResponse(Response):
    """Promises the whole body in Content-Length, sends half of it, then kills the connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        half = self.body[: len(self.body) // 2]
        await send({"type": "http.response.body", "body": half, "more_body": True})
        raise ConnectionDropped("simulated connection drop")

"""SnapStart's runtime hooks: import before the snapshot, connect and seed after the restore.

With SnapStart, Lambda runs init once per published version, snapshots the memory and resumes
every new execution environment from it. So what a request needs is imported before the snapshot
(free), and nothing unique or connected may be in it: every client, session and pool is a
tracked movies.lazy.Lazy, made by the first request after restore, and before_snapshot refuses a
snapshot that holds one. `random` is reseeded after restore: without it, every environment
resumed from one snapshot would draw the same numbers. (uuid4, secrets and X-Ray's ids read
os.urandom, fresh in each environment.)
"""

import importlib
import random
from collections.abc import Callable, Iterable
from typing import Any

from movies import lazy

try:  # in Lambda's Python runtimes (the snapshot-restore-py library); not a dependency here
    from snapshot_restore_py import (  # type: ignore[import-not-found]
        register_after_restore,
        register_before_snapshot,
    )
except ImportError:  # locally and in tests: nothing ever snapshots, so nothing calls them

    def register_before_snapshot(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Not on Lambda: no snapshot, no hook."""
        return func

    def register_after_restore(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Not on Lambda: no restore, no hook."""
        return func


# What requests import on first use (lazily, for cold starts without SnapStart): /movies'
# aiohttp, the /me routes' boto3 clients, /blocking-movies' requests.
REQUEST_IMPORTS = ("aiohttp", "movies.aws.clients", "requests")


class SnapshotNotClean(RuntimeError):
    """The snapshot would hold a client, session or pool: the publish must fail."""


class SnapshotHooks:
    """before_snapshot and after_restore for one function; `register()` hands them to Lambda."""

    def __init__(
        self,
        imports: Iterable[str] = REQUEST_IMPORTS,
        prepare: Iterable[Callable[[], object]] = (),
        made: Callable[[], list[str]] = lazy.created,
    ) -> None:
        """`prepare`: what else to build before the snapshot (nothing connected: the tracer).
        `made`: the clients, sessions and pools that exist (every tracked Lazy made)."""
        self._imports = tuple(imports)
        self._prepare = tuple(prepare)
        self._made = made

    def before_snapshot(self) -> None:
        """Import what requests need and build what holds no connection; then prove no client,
        session or pool exists."""
        for module in self._imports:
            importlib.import_module(module)
        for build in self._prepare:
            build()
        made = self._made()
        if made:
            raise SnapshotNotClean(f"would be captured in the snapshot: {', '.join(made)}")

    def after_restore(self) -> None:
        """Give this environment its own random state (clients are made by their first use)."""
        random.seed()

    def register(self) -> "SnapshotHooks":
        """Register both hooks with the Lambda runtime (a no-op elsewhere). Lambda runs
        before-snapshot hooks in reverse order of registration, after-restore ones in order."""
        register_before_snapshot(self.before_snapshot)
        register_after_restore(self.after_restore)
        return self

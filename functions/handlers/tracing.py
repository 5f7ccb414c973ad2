"""X-Ray tracing made on first use: aws_xray_sdk is about a third of a cold start with tracing on.

The Tracer is built by the first invocation (or before a SnapStart snapshot, where init is free),
not at import. It patches only what this function calls through: botocore (SQS, DynamoDB) and
requests (the blocking baseline), each when it is first imported, so boto3 stays lazy too.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from movies.lazy import Lazy

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer
    from aws_lambda_powertools.tracing.base import BaseProvider

# X-Ray patches these when the function first imports them; Powertools' default, patch_all,
# imports every library X-Ray knows at init.
PATCHED_ON_IMPORT = ("botocore", "requests")

Handler = TypeVar("Handler", bound=Callable[..., Any])


def build_tracer() -> "Tracer":
    """A Powertools Tracer that patches PATCHED_ON_IMPORT as each is imported."""
    import wrapt
    from aws_lambda_powertools import Tracer

    tracer = Tracer(auto_patch=False)

    def patcher(name: str) -> Callable[[object], None]:
        return lambda _module: tracer.patch([name])

    for module in PATCHED_ON_IMPORT:
        wrapt.when_imported(module)(patcher(module))
    return tracer


class LazyTracer:
    """A Tracer's two uses here, the handler's segment and the catalog's subsegments, with the
    Tracer made on first use."""

    def __init__(self, build: Callable[[], "Tracer"] = build_tracer) -> None:
        # Untracked: X-Ray sends over an unconnected UDP socket, so a snapshot may hold it.
        self._tracer = Lazy(build, "X-Ray tracer", track=False)

    def get(self) -> "Tracer":
        """The Tracer, made now if need be (imports aws_xray_sdk)."""
        return self._tracer.get()

    @property
    def built(self) -> bool:
        """Whether the Tracer exists yet."""
        return self._tracer.created

    @property
    def provider(self) -> "BaseProvider":
        """The X-Ray provider (TracedFetcher opens its subsegments on it)."""
        return self.get().provider

    def capture_lambda_handler(self, handler: Handler) -> Handler:
        """`handler` traced as Tracer.capture_lambda_handler does, decorated on the first call."""
        traced: Lazy[Callable[..., Any]] = Lazy(
            lambda: self.get().capture_lambda_handler(handler), "traced handler", track=False
        )

        def invoke(*args: Any, **kwargs: Any) -> Any:
            return traced.get()(*args, **kwargs)

        return cast(Handler, invoke)  # the same signature as `handler`

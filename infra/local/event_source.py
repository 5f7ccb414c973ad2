"""The worker's SQS trigger as template.yaml declares it (its EventSourceMapping), for the pollers.

The local pollers stand in for that mapping: they poll its queue, receive its BatchSize (at most
SQS's 10 a receive), report failures one by one only if it says ReportBatchItemFailures, and
give the function it invokes the variables the template declares for it.
"""

from dataclasses import dataclass
from typing import Any

from infra.local.sam_local_env import declared
from infra.local.template import load_template, resources_of_type

# SQS returns at most 10 messages a receive; Lambda's poller gathers more over its window.
SQS_MAX_RECEIVE = 10
# Lambda's default BatchSize for an SQS mapping that sets none.
DEFAULT_BATCH_SIZE = 10


@dataclass(frozen=True)
class EventSource:
    """One SQS event source mapping: which queue feeds which function, and how."""

    function: str  # the function's logical id (an alias's Ref names the function it belongs to)
    queue: str  # the queue's logical id
    batch_size: int
    report_failures: bool  # ReportBatchItemFailures: else one failed record fails the batch

    @property
    def receive_size(self) -> int:
        """Messages one local receive asks for."""
        return min(self.batch_size, SQS_MAX_RECEIVE)


def sqs_event_source(template: dict[str, Any] | None = None) -> EventSource:
    """The template's one SQS event source mapping; LookupError if it has none or several."""
    template = template if template is not None else load_template()
    found = []
    for mapping in resources_of_type(template, "AWS::Lambda::EventSourceMapping").values():
        props = mapping["Properties"]
        queue, attribute = _get_att(props["EventSourceArn"])
        kind = template["Resources"].get(queue, {}).get("Type")
        if attribute == "Arn" and kind == "AWS::SQS::Queue":
            found.append((queue, props))
    if len(found) != 1:
        raise LookupError(f"template.yaml has {len(found)} SQS event source mappings, not 1")
    [(queue, props)] = found
    return EventSource(
        function=props["FunctionName"]["Ref"].split(".", 1)[0],  # WorkerFunction.Alias
        queue=queue,
        batch_size=int(props.get("BatchSize", DEFAULT_BATCH_SIZE)),
        report_failures="ReportBatchItemFailures" in props.get("FunctionResponseTypes", []),
    )


def function_env(source: EventSource, template: dict[str, Any] | None = None) -> dict[str, str]:
    """The variables the template declares for the mapping's function, resolved as `sam local`
    resolves them (a Ref to a resource is its logical id: the stack sets the real names)."""
    template = template if template is not None else load_template()
    return {name: str(value) for name, value in declared(template, source.function, {}).items()}


def _get_att(value: Any) -> tuple[str, str]:
    """(resource, attribute) of a Fn::GetAtt, ("", "") for anything else."""
    if isinstance(value, dict) and isinstance(found := value.get("Fn::GetAtt"), list):
        return str(found[0]), str(found[1])
    return "", ""

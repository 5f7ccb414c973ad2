"""The template's SQS queues and DynamoDB tables, created on moto (in-process or its server).

template.yaml is the one description of them: each resource is created from its own Properties,
intrinsics resolved for the local stack (infra.local.intrinsics). The few local departures are
the overrides below and infra.local.moto_resources.TABLE_SKIPPED, each with its reason.
"""

from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infra.local.event_source import sqs_event_source
from infra.local.intrinsics import Resolver, references
from infra.local.moto_resources import create_queue, create_table
from infra.local.template import TEMPLATE, load_template, resources_of_type

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient

# --- Local overrides ---------------------------------------------------------------------------
# The template leaves physical names to CloudFormation (<stack>-<LogicalId>-<random suffix>).
# Locally, fixed names: the ones the app's default TABLE_NAME and events/sqs/*.json use.
LOCAL_NAMES = {
    "TaskQueue": "movie-api-tasks",
    "TaskDeadLetterQueue": "movie-api-tasks-dlq",
    "Table": "movie-api",
}
# Every queue's VisibilityTimeout is create_resources' visibility_timeout_s (6 s), not the
# template's (181 s): a failed record comes back within seconds, a poison message reaches the
# DLQ in half a minute instead of 15, and the tests and the soak can wait for that.
LOCAL_VISIBILITY_TIMEOUT_S = 6
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resources:
    """Where the created resources are."""

    queue_url: str
    dlq_url: str
    table_name: str
    polled_url: str  # the queue the worker's event source mapping polls


def queue_arn(sqs: "SQSClient", queue_url: str) -> str:
    """The ARN of the queue at `queue_url`."""
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]


def create_resources(
    sqs: "SQSClient",
    dynamodb: "DynamoDBClient",
    visibility_timeout_s: int = LOCAL_VISIBILITY_TIMEOUT_S,
    template_path: Path = TEMPLATE,
) -> Resources:
    """Create every queue (dead-letter targets first) and table of the template at template_path.

    Returns the task queue and the table the template's functions name in QUEUE_URL and
    TABLE_NAME, the queue the task queue's RedrivePolicy dead-letters to, and the queue the
    worker's event source mapping polls.
    """
    template = load_template(template_path)
    resolver = Resolver(template)
    queues = _declared(template, resolver, "AWS::SQS::Queue")
    # A queue after the queues it refers to: a dead-letter queue before the queue redriving to it.
    order = TopologicalSorter(
        {name: references(props) & set(queues) for name, props in queues.items()}
    )
    for name in order.static_order():
        queue_name = _name(resolver, name, queues[name].get("QueueName"))
        # A local override: see LOCAL_VISIBILITY_TIMEOUT_S.
        url = create_queue(
            sqs, resolver, name, queues[name], queue_name, VisibilityTimeout=visibility_timeout_s
        )
        arn = queue_arn(sqs, url)
        resolver.created_resource(name, url, Arn=arn, QueueName=queue_name)
    for name, props in _declared(template, resolver, "AWS::DynamoDB::Table").items():
        table = _name(resolver, name, props.get("TableName"))
        resolver.created_resource(
            name, table, Arn=create_table(dynamodb, resolver, name, props, table)
        )
    queue = _function_env_ref(template, "QUEUE_URL")
    dead_letter_arn = resolver.resolve(queues[queue]["RedrivePolicy"])["deadLetterTargetArn"]
    dlq = next(name for name in queues if resolver.created[(name, "Arn")] == dead_letter_arn)
    return Resources(
        queue_url=resolver.created[(queue, "Ref")],
        dlq_url=resolver.created[(dlq, "Ref")],
        table_name=resolver.created[(_function_env_ref(template, "TABLE_NAME"), "Ref")],
        polled_url=resolver.created[(sqs_event_source(template).queue, "Ref")],
    )


def _declared(template: dict[str, Any], resolver: Resolver, kind: str) -> dict[str, Any]:
    """Properties (unresolved) of the resources of `kind` whose Condition, if any, holds."""
    return {
        name: resource.get("Properties", {})
        for name, resource in resources_of_type(template, kind).items()
        if "Condition" not in resource or resolver.condition(resource["Condition"])
    }


def _name(resolver: Resolver, logical_id: str, declared: Any) -> str:
    if declared is not None:
        return str(resolver.resolve(declared))
    return LOCAL_NAMES.get(logical_id, f"{resolver.values['AWS::StackName']}-{logical_id}")


def _function_env_ref(template: dict[str, Any], variable: str) -> str:
    """The resource a function's environment `variable` is a Ref to (QUEUE_URL: TaskQueue)."""
    for function in resources_of_type(template, "AWS::Serverless::Function").values():
        value = function["Properties"].get("Environment", {}).get("Variables", {}).get(variable)
        if isinstance(value, dict) and "Ref" in value:
            return str(value["Ref"])
    raise LookupError(f"no function in template.yaml sets {variable} to a Ref")

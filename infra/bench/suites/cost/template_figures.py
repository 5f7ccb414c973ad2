"""The figures of template.yaml that the cost and the capacity model depend on, read per run."""

from dataclasses import dataclass
from typing import Any

from infra.local.template import load_template, resources_of_type

# Lambda's memory for a function that does not set it.
DEFAULT_MEMORY_MB = 128


@dataclass(frozen=True)
class TemplateFigures:
    """Memory, concurrency and throttling as the template deploys them (parameters at default)."""

    api_memory_mb: int
    worker_memory_mb: int
    api_reserved_concurrency: int  # ApiReservedConcurrency
    worker_reserved_concurrency: int  # WorkerReservedConcurrency
    stage_rate_limit: int  # ThrottlingRateLimit: the HTTP API stage's requests a second
    stage_burst_limit: int  # ThrottlingBurstLimit
    worker_max_concurrency: int  # the SQS event's ScalingConfig.MaximumConcurrency
    worker_batch_size: int
    table_keys: list[str]  # the table's key attributes, partition key first
    # The keys of the table's global secondary indexes: a write that sets one writes the index.
    index_keys: list[str]
    index_partition_key: str | None = None  # the (first) index's partition key


def _default(template: dict[str, Any], parameter: str) -> int:
    return int(template["Parameters"][parameter]["Default"])


def _sqs_trigger(template: dict[str, Any]) -> dict[str, Any]:
    """The worker's SQS trigger: an EventSourceMapping resource, or the function's SQS event
    (SAM generates the same mapping from it); each holds BatchSize and ScalingConfig."""
    for mapping in resources_of_type(template, "AWS::Lambda::EventSourceMapping").values():
        properties: dict[str, Any] = mapping["Properties"]
        return properties
    events = template["Resources"]["WorkerFunction"]["Properties"].get("Events", {})
    for event in events.values():
        if event.get("Type") == "SQS":
            found: dict[str, Any] = event["Properties"]
            return found
    raise LookupError("template.yaml gives the worker no SQS trigger")


def _table_keys(template: dict[str, Any]) -> list[str]:
    return [
        key["AttributeName"] for key in template["Resources"]["Table"]["Properties"]["KeySchema"]
    ]


def _index_keys(template: dict[str, Any]) -> list[str]:
    table = template["Resources"]["Table"]["Properties"]
    indexes = table.get("GlobalSecondaryIndexes", [])
    return sorted({key["AttributeName"] for index in indexes for key in index["KeySchema"]})


def _index_partition_key(template: dict[str, Any]) -> str | None:
    indexes = template["Resources"]["Table"]["Properties"].get("GlobalSecondaryIndexes", [])
    hashes = [
        k["AttributeName"] for i in indexes[:1] for k in i["KeySchema"] if k["KeyType"] == "HASH"
    ]
    return hashes[0] if hashes else None


def _memory_mb(template: dict[str, Any], function: str) -> int:
    # Globals' first, then the function's own, as infra.gateway.function_config reads them.
    properties = {
        **template.get("Globals", {}).get("Function", {}),
        **template["Resources"][function]["Properties"],
    }
    return int(properties.get("MemorySize", DEFAULT_MEMORY_MB))


def template_figures(template: dict[str, Any] | None = None) -> TemplateFigures:
    """The figures of `template` (template.yaml by default)."""
    template = template if template is not None else load_template()
    sqs = _sqs_trigger(template)
    return TemplateFigures(
        api_memory_mb=_memory_mb(template, "ApiFunction"),
        worker_memory_mb=_memory_mb(template, "WorkerFunction"),
        api_reserved_concurrency=_default(template, "ApiReservedConcurrency"),
        worker_reserved_concurrency=_default(template, "WorkerReservedConcurrency"),
        stage_rate_limit=_default(template, "ThrottlingRateLimit"),
        stage_burst_limit=_default(template, "ThrottlingBurstLimit"),
        worker_max_concurrency=int(sqs["ScalingConfig"]["MaximumConcurrency"]),
        worker_batch_size=int(sqs["BatchSize"]),
        table_keys=_table_keys(template),
        index_keys=_index_keys(template),
        index_partition_key=_index_partition_key(template),
    )

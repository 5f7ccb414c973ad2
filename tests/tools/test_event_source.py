"""The local pollers stand in for template.yaml's event source mapping: its queue, its BatchSize,
its ReportBatchItemFailures, and the variables its function declares, as the template changes."""

from pathlib import Path
from typing import Any

import pytest

from infra.local.event_source import EventSource, function_env, sqs_event_source
from infra.local.poller import Poller
from infra.local.template import load_template
from movies.domain.messages import RatingSubmitted, encode
from tests.support.template import edited
from tests.support.worker_aws import moto_aws


def test_the_pollers_read_the_templates_mapping(template: dict[str, Any]) -> None:
    assert sqs_event_source(template) == EventSource("WorkerFunction", "TaskQueue", 10, True)
    env = function_env(sqs_event_source(template), template)
    # Declared for the worker, as Lambda gives them; TABLE_NAME's Ref is the stack's to name.
    default = template["Parameters"]["TrendingWindowHours"]["Default"]
    assert env["TRENDING_WINDOW_HOURS"] == str(default)
    assert env["TABLE_NAME"] == "Table"
    assert env["POWERTOOLS_SERVICE_NAME"] == "movie-api-worker"


def test_the_stacks_pollers_poll_the_mappings_queue() -> None:
    with moto_aws() as aws:
        assert aws.resources.polled_url == aws.resources.queue_url
        assert aws.resources.polled_url.endswith("/movie-api-tasks")


def test_a_changed_mapping_changes_how_the_pollers_receive_and_delete(tmp_path: Path) -> None:
    copy = edited(
        tmp_path,
        (r"BatchSize: 10\n", "BatchSize: 3\n"),
        (r"FunctionResponseTypes:\n\s+- ReportBatchItemFailures\n", ""),
    )
    source = sqs_event_source(load_template(copy))
    assert source == EventSource("WorkerFunction", "TaskQueue", 3, False)
    with moto_aws() as aws:
        for movie_id in range(1, 6):
            aws.sqs.send_message(
                QueueUrl=aws.resources.queue_url,
                MessageBody=encode(RatingSubmitted(user_id="b", movie_id=movie_id, stars=3)),
            )
        seen: list[int] = []

        def one_failed(event: dict[str, Any], _: Any) -> dict[str, Any]:
            seen.append(len(event["Records"]))
            return {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}

        poller = Poller(aws.sqs, aws.resources.queue_url, one_failed, source=source)
        assert poller.poll_once() == 3
        # Without ReportBatchItemFailures Lambda ignores the answer: the whole batch is done.
        assert aws.depth(aws.resources.queue_url) == 2
        assert poller.poll_once() == 2
        assert seen == [3, 2]


def test_a_template_without_a_mapping_is_refused_in_one_line(tmp_path: Path) -> None:
    copy = edited(tmp_path, (r"Type: AWS::Lambda::EventSourceMapping\n", "Type: AWS::SNS::Topic\n"))
    with pytest.raises(LookupError, match="0 SQS event source mappings"):
        sqs_event_source(load_template(copy))

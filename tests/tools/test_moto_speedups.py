"""The local moto's leaner SQS model answers as moto's own: same messages, counts and errors."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local import moto_speedups
from infra.local.aws_env import client


@pytest.fixture
def sqs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    moto_speedups.install(monkeypatch.setattr)  # undone after the test
    with mock_aws():
        yield client("sqs")


def depth(sqs: Any, url: str) -> tuple[int, int]:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return (
        int(attributes["ApproximateNumberOfMessages"]),
        int(attributes["ApproximateNumberOfMessagesNotVisible"]),
    )


def test_every_message_is_received_once_and_deleted_by_its_receipt(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    for n in range(25):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{n}")
    assert depth(sqs, url) == (25, 0)
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        bodies += [m["Body"] for m in messages]
        entries = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
        ]
        assert len(sqs.delete_message_batch(QueueUrl=url, Entries=entries)["Successful"]) == len(
            messages
        )
        # A repeated delete of the same receipts is accepted, as SQS accepts it.
        assert sqs.delete_message_batch(QueueUrl=url, Entries=entries).get("Failed", []) == []
    assert sorted(bodies) == sorted(f"m{n}" for n in range(25))
    assert depth(sqs, url) == (0, 0)


def test_an_unknown_receipt_is_refused_and_deletes_nothing(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="kept")
    with pytest.raises(ClientError, match="ReceiptHandleIsInvalid"):
        sqs.delete_message(QueueUrl=url, ReceiptHandle="not-a-receipt")
    assert depth(sqs, url) == (1, 0)


def test_an_earlier_receipt_of_a_received_again_message_still_deletes_it(sqs: Any) -> None:
    url = sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "0"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="twice")
    first = sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    second = sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    assert first != second
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first)
    assert depth(sqs, url) == (0, 0)


def test_in_flight_messages_are_counted_apart_and_come_back_after_the_visibility_timeout(
    sqs: Any,
) -> None:
    url = sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    for n in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{n}")
    assert len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)["Messages"]) == 2
    assert depth(sqs, url) == (1, 2)
    time.sleep(1.1)
    assert depth(sqs, url) == (3, 0)


def test_messages_past_the_retention_period_are_not_delivered(
    sqs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqs.create_queue(QueueName="q", Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="old")
    assert sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"]
    later = time.time() + 61
    monkeypatch.setattr(moto_speedups.time, "time", lambda: later)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_install_refuses_a_moto_that_lacks_what_it_replaces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(moto_speedups.models.Queue, "delete_message")
    with pytest.raises(RuntimeError, match="delete_message"):
        moto_speedups.install(monkeypatch.setattr)

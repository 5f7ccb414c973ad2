"""`sam local` against the local stack, proven without Docker: each function gets the environment
SAM CLI would build from template.yaml and infra/env.local.json (host.docker.internal swapped for
loopback), runs in its own interpreter with exactly that, and a posted rating gets stored."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.local import sam_local_env as sam_local_env_module
from infra.local.aws_env import arn, client
from infra.local.lambda_runtime import EVENTS, sqs_event
from infra.local.processes import ROOT
from infra.local.sam_local_env import ENV_VARS_FILE, declared, on_loopback, sam_local_env
from infra.local.stack import running_stack

INVOKE = ROOT / "tests" / "support" / "invoke_handler.py"
# The env-vars file's ports: the catalog and moto of `make sam-local-stack`.
CATALOG_PORT, AWS_PORT = 8001, 8002


@pytest.mark.parametrize("function", ["ApiFunction", "WorkerFunction"])
def test_every_local_override_is_declared_by_the_template(
    template: dict[str, Any], function: str
) -> None:
    local = json.loads(ENV_VARS_FILE.read_text())[function]
    template_vars = declared(template, function, {"CatalogUrl": "https://c"})
    assert set(local) <= set(template_vars)  # else SAM CLI drops it silently
    assert local["AWS_ENDPOINT_URL"] == f"http://host.docker.internal:{AWS_PORT}"
    assert template_vars["AWS_ENDPOINT_URL"] == ""  # nothing changes on AWS


def test_an_empty_endpoint_variable_is_boto3s_default_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "")
    session = boto3.Session(region_name="us-east-1")
    assert session.client("sqs").meta.endpoint_url == "https://sqs.us-east-1.amazonaws.com"
    assert (
        session.client("dynamodb").meta.endpoint_url == "https://dynamodb.us-east-1.amazonaws.com"
    )


def invoke(handler: str, env: dict[str, str], event: dict[str, Any], tmp: Path) -> Any:
    """Run `handler` on `event` in a fresh interpreter with exactly `env` (plus PYTHONPATH)."""
    (tmp / "event.json").write_text(json.dumps(event))
    subprocess.run(
        [sys.executable, str(INVOKE), handler, str(tmp / "event.json"), str(tmp / "result.json")],
        env={**env, "PYTHONPATH": str(ROOT / "functions")},
        cwd=tmp,
        check=True,
        timeout=60,
    )
    return json.loads((tmp / "result.json").read_text())


def test_a_rating_posted_through_the_api_is_stored_by_the_worker(tmp_path: Path) -> None:
    with running_stack(pollers=0) as stack:
        ports = {
            CATALOG_PORT: int(stack.catalog_url.rsplit(":", 1)[1]),
            AWS_PORT: int(stack.aws_url.rsplit(":", 1)[1]),
        }
        parameters = {"CatalogUrl": f"http://host.docker.internal:{CATALOG_PORT}"}
        api_env = on_loopback(sam_local_env("ApiFunction", parameters), ports)
        worker_env = on_loopback(sam_local_env("WorkerFunction"), ports)
        assert api_env["QUEUE_URL"] == stack.resources.queue_url
        assert api_env["AWS_ACCESS_KEY_ID"] == "testing"  # never the developer's own

        # API Gateway's event, with the claims its JWT authorizer puts there (sub: alice).
        event = json.loads((EVENTS / "http-api" / "rate-movie.json").read_text())
        posted = invoke("handlers.api.handler", api_env, event, tmp_path)
        assert posted["statusCode"] == 202, posted

        sqs = client("sqs", stack.aws_url)
        received = sqs.receive_message(
            QueueUrl=stack.resources.queue_url,
            MaxNumberOfMessages=10,
            MessageAttributeNames=["All"],
            WaitTimeSeconds=2,
        )["Messages"]
        queue_arn = arn("sqs", stack.resources.queue_url.rsplit("/", 1)[1])
        batch = invoke(
            "handlers.worker.handler", worker_env, sqs_event(received, queue_arn), tmp_path
        )
        assert batch == {"batchItemFailures": []}

        event = json.loads((EVENTS / "http-api" / "my-ratings.json").read_text())
        read = invoke("handlers.api.handler", api_env, event, tmp_path)
        assert read["statusCode"] == 200, read
        body = json.loads(read["body"])
        assert body["user_id"] == "alice"
        assert [(r["movie_id"], r["stars"]) for r in body["ratings"]] == [(5, 4.5)]


def test_the_env_vars_file_follows_the_ports_make_run_uses(tmp_path: Path) -> None:
    out = tmp_path / "env.local.json"
    sam_local_env_module.main(["--catalog-port", "9001", "--aws-port", "9002", "--out", str(out)])
    written = json.loads(out.read_text())
    committed = json.loads(ENV_VARS_FILE.read_text())
    assert written.keys() == committed.keys()
    api = written["ApiFunction"]
    assert api["CATALOG_URL"] == "http://host.docker.internal:9001"
    assert api["AWS_ENDPOINT_URL"] == "http://host.docker.internal:9002"
    assert api["QUEUE_URL"].startswith("http://host.docker.internal:9002/")
    assert written["WorkerFunction"]["AWS_ENDPOINT_URL"] == "http://host.docker.internal:9002"
    assert api["TABLE_NAME"] == committed["ApiFunction"]["TABLE_NAME"]  # the rest unchanged


def test_local_api_without_docker_stops_at_once_in_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "docker").write_text("#!/bin/sh\nexit 1\n")  # a client with no engine behind it
    (fake / "docker").chmod(0o755)
    env = {"PATH": f"{fake}:/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "local-api"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "sam local needs a running Docker engine" in done.stderr
    assert "sam build" not in done.stdout + done.stderr  # nothing built first

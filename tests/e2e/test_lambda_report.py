"""`make run-lambda`'s output: a REPORT line per invocation, as Lambda writes to its log stream."""

import re
from pathlib import Path

import httpx
import pytest

from infra.local.processes import HOST, LocalStack, free_port
from infra.local.services import lambda_service
from tests.support.stacks import EXTERNAL

REPORT = re.compile(r"^REPORT RequestId: (\S+)\tDuration: .*\tMax Memory Used: \d+ MB(\t.*)?$")


@pytest.mark.skipif(EXTERNAL is not None, reason="reads the local stand-in's output")
async def test_the_lambda_stand_in_writes_report_lines(tmp_path: Path) -> None:
    api_port, catalog_port = free_port(), free_port()  # no catalog: /health needs none
    env = {"LAMBDA_CONCURRENCY": "1", "ISSUER_URL": f"http://{HOST}:{catalog_port}"}
    with LocalStack([lambda_service(api_port, catalog_port, env)], log_dir=tmp_path):
        async with httpx.AsyncClient(base_url=f"http://{HOST}:{api_port}") as api:
            response = await api.get("/health")
    lines = (tmp_path / "lambda.out").read_text().splitlines()
    reports = [m for m in map(REPORT.match, lines) if m]
    # The stack's own health check was the cold start; this request found the environment warm.
    assert "Init Duration" in reports[0].group(0)
    [ours] = [m for m in reports if m.group(1) == response.headers["x-request-id"]]
    assert "Init Duration" not in ours.group(0)

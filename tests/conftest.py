"""Environment every suite shares: no AWS account, no tracing daemon, a fixed region; and the
fixtures more than one folder uses."""

import os
from typing import Any

import pytest

from infra.local.aws_env import REGION
from infra.local.template import load_template

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "MovieApiTest")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "movie-api-test")
os.environ.setdefault("AWS_DEFAULT_REGION", REGION)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    """template.yaml as plain data, intrinsics in their long form (tests/template, tests/tools)."""
    return load_template()

"""Environment every suite shares: no AWS account, no tracing daemon, a fixed region."""

import os

from infra.local.aws_env import REGION

os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "MovieApiTest")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "movie-api-test")
os.environ.setdefault("AWS_DEFAULT_REGION", REGION)

"""Lambda entry for the API's pre-traffic hook: module-scope clients, built once per environment."""

import logging
import os

import boto3
from botocore.config import Config

from handlers.init_gc import init_done
from handlers.pre_traffic_hook import pre_traffic_handler

# Longer than ApiFunction's 20 s Timeout, so Lambda itself reports a version that hangs as timed
# out; one retry, for the Lambda API's throttling or a dropped connection. Three checks take
# 3 x 2 x 25 s = 150 s at the very worst, within the hook's 180 s Timeout.
INVOKE_CONFIG = Config(
    connect_timeout=5, read_timeout=25, retries={"mode": "standard", "max_attempts": 2}
)

logger = logging.getLogger("pre_traffic")
logger.setLevel(logging.INFO)  # the runtime's root logger lets warnings through only
handler = pre_traffic_handler(
    boto3.client("lambda", config=INVOKE_CONFIG),
    boto3.client("codedeploy"),
    # The version under test (template: !Ref ApiFunction.Version), and the stage its API serves.
    os.environ.get("API_VERSION_ARN", ""),
    os.environ.get("STAGE", "$default"),
    logger,
)

init_done(__name__)  # the last line of init: what it made is frozen, the collector resumes

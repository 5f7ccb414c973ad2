"""The local AWS account: moto's region, account and fake credentials, and clients on it."""

from typing import TYPE_CHECKING, Literal, overload

import boto3

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient

# The local stack's region (the deployed one is in infra/samconfig.toml): any would do on moto.
REGION = "us-east-1"
# The account moto puts every resource in unless told otherwise.
ACCOUNT_ID = "123456789012"
# moto accepts any credentials; these keep boto3 from looking for real ones.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def local_env(endpoint_url: str) -> dict[str, str]:
    """Environment that points a process's boto3 clients at `endpoint_url` (moto on loopback)."""
    return {"AWS_ENDPOINT_URL": endpoint_url, "AWS_DEFAULT_REGION": REGION, **CREDENTIALS}


def arn(service: str, resource: str) -> str:
    """The ARN of `resource` of `service` in the local region and account."""
    return f"arn:aws:{service}:{REGION}:{ACCOUNT_ID}:{resource}"


@overload
def client(service: Literal["sqs"], endpoint_url: str | None = None) -> "SQSClient": ...
@overload
def client(service: Literal["dynamodb"], endpoint_url: str | None = None) -> "DynamoDBClient": ...
def client(
    service: Literal["sqs", "dynamodb"], endpoint_url: str | None = None
) -> "SQSClient | DynamoDBClient":
    """A boto3 client on the moto server at `endpoint_url` (None: moto in-process, mock_aws)."""
    session = boto3.Session(
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    return session.client(service, endpoint_url=endpoint_url)

"""The AWS prices the cost figures use: us-east-1, arm64, on-demand, first tier, no free tier.

Read on READ_ON from the pages in each price's source. Lambda and HTTP API prices drop in
higher monthly tiers (Lambda duration past 7.5 billion GB-s; HTTP API past 300 million requests);
the free tiers (Lambda's 1 million requests and 400,000 GB-s a month, SQS's 1 million requests)
are left out, so small volumes read dearer here than they bill.
"""

from dataclasses import dataclass

READ_ON = "2026-12-07"


@dataclass(frozen=True)
class Price:
    """One unit price in US dollars."""

    name: str
    usd: float
    per: str
    source: str


LAMBDA = "https://aws.amazon.com/lambda/pricing/"
APIGW = "https://aws.amazon.com/api-gateway/pricing/"
SQS = "https://aws.amazon.com/sqs/pricing/"
DYNAMODB = "https://aws.amazon.com/dynamodb/pricing/on-demand/"
CLOUDFRONT = "https://aws.amazon.com/cloudfront/pricing/"


@dataclass(frozen=True)
class Prices:
    """The table, one field per price the figures use."""

    read_on: str = READ_ON
    lambda_gb_s: Price = Price(
        "Lambda duration, arm64 (first 7.5 billion GB-s a month)", 0.0000133334, "GB-second", LAMBDA
    )
    lambda_request: Price = Price("Lambda requests", 0.20 / 1e6, "request", LAMBDA)
    http_api_request: Price = Price(
        "API Gateway HTTP API requests (first 300 million a month, per 512 KB)",
        1.00 / 1e6,
        "request",
        APIGW,
    )
    sqs_request: Price = Price(
        "SQS standard queue requests (per 64 KB chunk)", 0.40 / 1e6, "request", SQS
    )
    dynamodb_read: Price = Price(
        "DynamoDB on-demand read request units", 0.125 / 1e6, "read request unit", DYNAMODB
    )
    dynamodb_write: Price = Price(
        "DynamoDB on-demand write request units", 0.625 / 1e6, "write request unit", DYNAMODB
    )
    cloudfront_request: Price = Price(
        "CloudFront HTTPS requests, United States (the capacity model's CDN)",
        0.0100 / 1e4,
        "request",
        CLOUDFRONT,
    )

    def all(self) -> list[Price]:
        """Every price, in the table's order."""
        return [
            self.lambda_gb_s,
            self.lambda_request,
            self.http_api_request,
            self.sqs_request,
            self.dynamodb_read,
            self.dynamodb_write,
            self.cloudfront_request,
        ]

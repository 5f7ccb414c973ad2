"""API Gateway's request quotas for HTTP APIs, refused before anything else runs.

"Quotas for configuring and running an HTTP API"
(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html): the request
line and the header values together at most 10,240 bytes, the payload at most 10 MB; neither can
be raised. The documentation names the quotas, not the answer: the gateway answers both 413
`{"message":"Request Entity Too Large"}`, as API Gateway answers an oversized payload.
"""

REQUEST_LINE_AND_HEADERS_BYTES = 10_240
PAYLOAD_BYTES = 10 * 1024 * 1024


def over_quota(method: str, target: str, headers: dict[str, str]) -> str | None:
    """Which quota the request exceeds (a sentence for the log), or None.

    `target` is the request target as sent (path and query); `headers` are joined.
    """
    line = len(f"{method} {target} HTTP/1.1".encode("latin-1", "replace"))
    values = sum(len(value.encode("latin-1", "replace")) for value in headers.values())
    if line + values > REQUEST_LINE_AND_HEADERS_BYTES:
        return f"request line and header values are {line + values} bytes"
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > PAYLOAD_BYTES:
        return f"payload is {length} bytes"
    return None

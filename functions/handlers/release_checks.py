"""What a new API version must answer before it takes traffic: three requests and their checks.

`/health` shows the version starts (from its SnapStart snapshot) and routes; a catalog page, that
it reaches the catalog its settings name; a personal route, carrying the claims API Gateway's JWT
authorizer would pass, that it takes the caller from them and reads its table. Each answer must
be a 200 with a JSON body of the route's shape, tagged with the request's own id.
"""

import base64
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from handlers.http_event import http_api_event

# The caller of the personal route: no user's id, so the check reads nobody's ratings.
CHECK_USER = "codedeploy-pre-traffic"
# How long the check's claims say its token lives, as an access token's iat and exp would.
TOKEN_LIFETIME_S = 300
# How much of a wrong answer a problem quotes.
QUOTED = 200

Shape = Callable[[Any], str | None]  # what is wrong with a decoded body, or None


@dataclass(frozen=True)
class Check:
    """One request to the version under test and the shape its body must have."""

    name: str
    event: dict[str, Any]
    shape: Shape


def _health(body: Any) -> str | None:
    return None if body == {"status": "ok"} else "expected {'status': 'ok'}"


def _movie_page(body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return "expected a page of movies: items, a list"
    if not isinstance(body.get("total"), int):
        return "expected a page of movies: total, a number"
    for movie in body["items"]:
        if not isinstance(movie, dict) or not isinstance(movie.get("id"), int):
            return "expected movies with an id"
        if not isinstance(movie.get("title"), str):
            return "expected movies with a title"
    return None


def _own_ratings(body: Any) -> str | None:
    if not isinstance(body, dict) or body.get("user_id") != CHECK_USER:
        return f"expected the ratings of the token's subject, {CHECK_USER}"
    if not isinstance(body.get("ratings"), list):
        return "expected ratings, a list"
    return None


def release_checks(stage: str, account_id: str, region: str, now: float) -> list[Check]:
    """The checks of a version served under `stage` by an API of `account_id` in `region`, at
    epoch second `now`."""

    def event(path: str, **fields: Any) -> dict[str, Any]:
        # A request id of its own, so the check's lines are easy to find in the API's log.
        request_id = f"pre-traffic-{uuid.uuid4()}"
        return http_api_event(
            "GET", path, stage=stage, request_id=request_id, account_id=account_id, region=region,
            **fields,
        )  # fmt: skip

    claims = {
        "sub": CHECK_USER,
        "client_id": CHECK_USER,
        "token_use": "access",
        "iat": str(int(now)),
        "exp": str(int(now) + TOKEN_LIFETIME_S),
    }
    return [
        Check("health", event("/health"), _health),
        Check("catalog page", event("/movies", query="limit=1"), _movie_page),
        Check("personal route", event("/me/ratings", claims=claims), _own_ratings),
    ]


def _body(result: Mapping[str, Any]) -> str:
    raw = result.get("body") or ""
    if result.get("isBase64Encoded"):
        return base64.b64decode(raw).decode("utf-8", errors="replace")
    return str(raw)


def problem(check: Check, result: Any) -> str | None:
    """What is wrong with the version's `result` (a proxy result) for `check`, or None."""
    if not isinstance(result, Mapping) or not isinstance(result.get("statusCode"), int):
        return f"not an API Gateway proxy result: {str(result)[:QUOTED]}"
    try:
        text = _body(result)
    except ValueError:  # binascii.Error is one
        return "the body is flagged base64 but is not base64"
    if result["statusCode"] != 200:
        return f"status {result['statusCode']}, expected 200: {text[:QUOTED]}"
    headers = {str(k).lower(): str(v) for k, v in (result.get("headers") or {}).items()}
    if not headers.get("content-type", "").startswith("application/json"):
        return f"content-type {headers.get('content-type')!r}, expected application/json"
    request_id = check.event["requestContext"]["requestId"]
    if headers.get("x-request-id") != request_id:
        return f"x-request-id {headers.get('x-request-id')!r}, expected the event's {request_id}"
    try:
        body = json.loads(text)
    except ValueError:
        return f"the body is not JSON: {text[:QUOTED]}"
    wrong = check.shape(body)
    return f"{wrong}: {text[:QUOTED]}" if wrong else None

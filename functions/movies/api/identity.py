"""Who is calling: the subject of a token someone else verified, never a user id from the request.

On AWS, API Gateway's JWT authorizer verifies the token and handlers.gateway copies its claims
here; locally, the development authorizer in infra/ does the same. The app only reads them, so
it holds no key and makes no JWKS call. A personal route that finds no claims answers 401: it
fails closed if a route is ever deployed without the authorizer.
"""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import HTTPBearer

from movies.domain.messages import MAX_USER_ID_LENGTH
from movies.errors import ApiError

# The ASGI scope key that holds the verified claims (a mapping, as API Gateway passes them).
CLAIMS_SCOPE_KEY = "movies.verified_claims"
# Declares the bearer scheme in the OpenAPI spec, so /docs can authorize; it verifies nothing.
_bearer = HTTPBearer(auto_error=False, description="An access token from the issuer")


class Unauthorized(ApiError):
    """No verified identity came with the request."""

    status_code = 401
    error = "unauthorized"
    headers = {"WWW-Authenticate": "Bearer", "Cache-Control": "no-store"}  # noqa: RUF012


def subject(claims: Any) -> str | None:
    """The usable `sub` of verified claims, or None."""
    if not isinstance(claims, Mapping):
        return None
    sub = claims.get("sub")
    if isinstance(sub, str) and 0 < len(sub) <= MAX_USER_ID_LENGTH and sub.isprintable():
        return sub
    return None


async def _current_user(
    request: Request, response: Response, _: Annotated[Any, Depends(_bearer)]
) -> str:
    user_id = subject(request.scope.get(CLAIMS_SCOPE_KEY))
    if user_id is None:
        raise Unauthorized("a valid bearer token is required")
    # Personal data: no shared cache may keep it, whatever the client asked.
    response.headers["Cache-Control"] = "no-store"
    return user_id


CurrentUser = Annotated[str, Depends(_current_user)]

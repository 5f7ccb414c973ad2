"""The API as the local uvicorn stacks serve it: the deployed app behind API Gateway's checks.

The issuer and audience come from ISSUER_URL (the stack sets it) and JWT_AUDIENCE (by default
the local stack's audience); which routes need a token comes from template.yaml, as on AWS.
"""

import os

from fastapi import FastAPI
from starlette.types import ASGIApp

from infra.gateway.authorizer import JwtAuthorizer
from infra.gateway.edge import LocalGateway
from infra.gateway.front import front_of
from infra.gateway.jwks import IssuerKeys
from infra.gateway.routes import Route, routes_of
from infra.local.audience import DEFAULT_AUDIENCE
from infra.local.template import load_template
from movies.api.middleware.access_log import AccessLog
from movies.main import build_app
from movies.observability import build_logger


def local_authorizer() -> JwtAuthorizer:
    """The JWT authorizer for the issuer the environment names."""
    issuer = os.environ["ISSUER_URL"]
    audience = os.environ.get("JWT_AUDIENCE", DEFAULT_AUDIENCE)
    return JwtAuthorizer(issuer, [audience], IssuerKeys(issuer))


def template_routes() -> list[Route]:
    """The deployed API's routes, each with its authorizer."""
    return routes_of(load_template())


def gateway_log() -> AccessLog:
    """The request log for the gateway's own answers: the app's logger and file (LOG_FILE)."""
    return AccessLog(build_logger(os.environ.get("LOG_FILE")))


def behind_gateway(app: FastAPI) -> ASGIApp:
    """`app` behind the local gateway and its front door (CORS, 404 for unrouted requests, size
    quotas, route throttling); FastAPI's lifespan still runs, through the wrapper."""
    routes = template_routes()
    front = front_of(routes, load_template())
    return LocalGateway(app, routes, local_authorizer(), front, gateway_log())


def create_app() -> ASGIApp:
    """uvicorn's factory for `make run`."""
    return behind_gateway(build_app())

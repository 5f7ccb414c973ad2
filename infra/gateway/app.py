"""The API as the local uvicorn stacks serve it: the deployed app behind API Gateway's checks.

The issuer and audience come from ISSUER_URL (the stack sets it) and JWT_AUDIENCE (by default
the local stack's audience); which routes need a token comes from template.yaml, as on AWS.
"""

import os

from fastapi import FastAPI
from starlette.types import ASGIApp

from infra.gateway.authorizer import JwtAuthorizer
from infra.gateway.edge import LocalGateway
from infra.gateway.front import Front, cors_of
from infra.gateway.jwks import IssuerKeys
from infra.gateway.routes import Route, routes_of
from infra.local.audience import DEFAULT_AUDIENCE
from infra.local.template import load_template
from movies.main import build_app


def local_authorizer() -> JwtAuthorizer:
    """The JWT authorizer for the issuer the environment names."""
    issuer = os.environ["ISSUER_URL"]
    audience = os.environ.get("JWT_AUDIENCE", DEFAULT_AUDIENCE)
    return JwtAuthorizer(issuer, [audience], IssuerKeys(issuer))


def template_routes() -> list[Route]:
    """The deployed API's routes, each with its authorizer."""
    return routes_of(load_template())


def behind_gateway(app: FastAPI) -> ASGIApp:
    """`app` behind the local gateway and its front door (CORS, 404 for unrouted requests);
    FastAPI's lifespan still runs, through the wrapper."""
    routes = template_routes()
    front = Front(routes, cors_of(load_template()))
    return LocalGateway(app, routes, local_authorizer(), front)


def create_app() -> ASGIApp:
    """uvicorn's factory for `make run`."""
    return behind_gateway(build_app())

"""Access tokens with scopes, as SAM's transform makes them: each personal route names the scope
it needs, the created Cognito pool can grant exactly those, and nobody signs up to it unasked."""

from typing import Any

import pytest

from infra.local.intrinsics import Resolver
from tests.support.sam_transform import transformed
from tests.template.test_template_domain import BASE, present

PERSONAL = {
    ("/me/ratings", "get"): "ReadScope",
    ("/me/ratings", "head"): "ReadScope",
    ("/me/recommendations", "get"): "ReadScope",
    ("/me/recommendations", "head"): "ReadScope",
    ("/me/ratings", "post"): "WriteScope",
}
ISSUER = {
    **BASE,
    "JwtIssuer": "https://issuer.example.com/",
    "JwtAudience": "movies",
    "ReadScope": "read:ratings",
    "WriteScope": "write:ratings",
}


@pytest.fixture(scope="module")
def created_pool() -> dict[str, Any]:
    result: dict[str, Any] = transformed(BASE)
    return result


def _route_scopes(template: dict[str, Any], parameters: dict[str, str]) -> dict[Any, Any]:
    """(path, method) -> the scopes API Gateway will require, as deployed with `parameters`."""
    paths = template["Resources"]["HttpApi"]["Properties"]["Body"]["paths"]
    resolver = Resolver(template, parameters)
    return {
        (path, method): resolver.resolve(security)
        for path, operations in paths.items()
        for method, operation in operations.items()
        for security in operation.get("security", [])
    }


@pytest.mark.parametrize("parameters", [BASE, ISSUER], ids=["created pool", "JwtIssuer"])
def test_personal_routes_require_their_scope_and_public_ones_none(
    parameters: dict[str, str],
) -> None:
    template = transformed(parameters)
    defaults = {name: spec.get("Default") for name, spec in template["Parameters"].items()}
    scopes = _route_scopes(template, parameters)
    for route, parameter in PERSONAL.items():
        expected = parameters.get(parameter, defaults[parameter])
        assert scopes.pop(route) == {"JwtAuthorizer": [expected]}
    assert scopes
    assert all(security == {"NONE": []} for security in scopes.values())


def test_the_created_pool_grants_the_routes_scopes_through_oauth(
    created_pool: dict[str, Any],
) -> None:
    resolver = Resolver(created_pool, BASE)
    resolver.created_resource("UserPool", "us-east-1_pool")
    resources = present(created_pool, BASE)
    server = resolver.resolve(resources["UserPoolResourceServer"]["Properties"])
    granted = {f"{server['Identifier']}/{scope['ScopeName']}" for scope in server["Scopes"]}
    routes = {
        scope
        for found in _route_scopes(created_pool, BASE).values()
        for scope in found.get("JwtAuthorizer", [])
    }
    assert granted == routes == {"movies/me.read", "movies/me.write"}
    client = resolver.resolve(resources["UserPoolClient"]["Properties"])
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["AllowedOAuthFlows"] == ["code"]  # a public client: no implicit flow
    assert set(client["AllowedOAuthScopes"]) >= routes
    assert client["GenerateSecret"] is False
    assert "ALLOW_USER_PASSWORD_AUTH" not in client["ExplicitAuthFlows"]
    assert resources["UserPoolClient"]["DependsOn"] == "UserPoolResourceServer"
    assert "UserPoolDomain" in resources  # Cognito grants custom scopes on its OAuth endpoints


@pytest.mark.parametrize(("allow", "admin_only"), [(None, True), ("false", True), ("true", False)])
def test_the_created_pool_takes_admin_created_users_unless_told(
    created_pool: dict[str, Any], allow: str | None, admin_only: bool
) -> None:
    parameters = BASE if allow is None else {**BASE, "AllowSelfSignUp": allow}
    pool = Resolver(created_pool, parameters).resolve(
        created_pool["Resources"]["UserPool"]["Properties"]
    )
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is admin_only


def test_a_jwt_issuer_deployment_creates_no_cognito_resources() -> None:
    types = {resource["Type"] for resource in present(transformed(ISSUER), ISSUER).values()}
    assert not {t for t in types if t.startswith("AWS::Cognito::")}

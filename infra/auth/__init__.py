"""Local identity, never deployed: a development OIDC issuer and API Gateway's JWT checks."""

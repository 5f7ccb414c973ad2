"""The development OIDC issuer, never deployed: discovery, JWKS and tokens for the local stacks."""

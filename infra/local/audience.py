"""The audience of the local stack's tokens: what its issuer mints for and its gateway accepts."""

# The template's JwtAudience, locally: the issuer's `aud` and the local gateway's one audience
# when neither is told otherwise (--audience, JWT_AUDIENCE).
DEFAULT_AUDIENCE = "movie-api"

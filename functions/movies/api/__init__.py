"""The HTTP API: app factory, dependencies, schemas, error handlers, middleware and routes."""

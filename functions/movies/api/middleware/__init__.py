"""Pure ASGI middleware: cross-cutting work done once per request, without BaseHTTPMiddleware."""

"""`GET /`: where a person who opens the API's base URL should go next."""

from fastapi import APIRouter, Request

from movies.api.schemas import Index

router = APIRouter(tags=["health"])


@router.get("/", include_in_schema=False)
async def index(request: Request) -> Index:
    """Links to the docs, the spec and /health, under the stage or mapping key the request came
    through (the ASGI root_path), or just /health when the docs are off."""
    base = request.scope.get("root_path", "")
    docs = request.app.openapi_url is not None  # the spec, /docs and /redoc go together
    return Index(
        docs=f"{base}/docs" if docs else None,
        redoc=f"{base}/redoc" if docs else None,
        openapi=f"{base}/openapi.json" if docs else None,
        health=f"{base}/health",
    )

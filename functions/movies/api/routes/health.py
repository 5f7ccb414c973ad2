"""Liveness: answers without touching the catalog or any store."""

from fastapi import APIRouter

from movies.api.schemas import Health, error_responses

router = APIRouter(tags=["health"])
_OK = Health()


@router.get("/health", responses=error_responses())
async def health() -> Health:
    """Report that the process is up."""
    return _OK

"""Liveness: answers without touching the catalog or any store."""

from fastapi import APIRouter

from movies.models import Health

router = APIRouter(tags=["health"])
_OK = Health()


@router.get("/health")
async def health() -> Health:
    """Report that the process is up."""
    return _OK

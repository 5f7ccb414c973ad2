"""Validated path and query parameters shared by several routes."""

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

Genre = Annotated[
    str | None,
    Query(min_length=1, max_length=40, pattern=r"^[A-Za-z][A-Za-z -]*$", description="Genre name"),
]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Items to skip")]
MovieId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Catalog movie id")]
MovieIdField = Annotated[int, Field(ge=1, le=2**31 - 1, description="Catalog movie id")]

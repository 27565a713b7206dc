"""/register: the public decision register (published decisions only), for anyone, no token needed."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from grants.bootstrap import Grants
from grants.entrypoints.http.deps import Uow
from grants.entrypoints.http.schemas.common import read
from grants.entrypoints.http.schemas.register import RegisterEntryRead, to_360giving, to_csv
from grants.service_layer import register
from shared.http.deps import container
from shared.http.pagination import Page, Paging

router = APIRouter(prefix="/register", tags=["register"])

Year = Annotated[int | None, Query(ge=2000, le=2100, description="The rounds' year")]


def _key(grants: Annotated[Grants, Depends(container)]) -> bytes:
    """The pseudonyms' key, from the container's settings (a secret in production)."""
    return register.pseudonym_key(grants.settings)


Key = Annotated[bytes, Depends(_key)]


@router.get("/decisions", response_model=Page[RegisterEntryRead])
async def decisions(
    uow: Uow, key: Key, paging: Paging, year: Year = None, programme_id: uuid.UUID | None = None
) -> Page[RegisterEntryRead]:
    """Published decisions: who got how much, for what (0 when not granted); private persons pseudonymised."""
    items, total = await register.search_register(
        uow, key=key, year=year, programme_id=programme_id, limit=paging.limit, offset=paging.offset
    )
    return Page(
        items=[read(RegisterEntryRead, e) for e in items], total=total, limit=paging.limit, offset=paging.offset
    )


@router.get("/decisions.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def decisions_csv(uow: Uow, key: Key, year: Year = None, programme_id: uuid.UUID | None = None) -> Response:
    """The same as a CSV file (UTF-8 with BOM, ``;``-separated, a header row) that Excel opens as such."""
    entries = await register.export_register(uow, key=key, year=year, programme_id=programme_id)
    name = f"avustuspaatokset{f'-{year}' if year else ''}.csv"
    return Response(
        to_csv(entries).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/360giving.json", responses={200: {"content": {"application/json": {}}}})
async def decisions_360giving(
    uow: Uow, key: Key, year: Year = None, programme_id: uuid.UUID | None = None
) -> JSONResponse:
    """Grants awarded, in the shape of the 360Giving data standard: ``{"grants": [...]}``."""
    entries = await register.export_register(uow, key=key, year=year, programme_id=programme_id)
    body: dict[str, Any] = to_360giving(entries)
    return JSONResponse(body)

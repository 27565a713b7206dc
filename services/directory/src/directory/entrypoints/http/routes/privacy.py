"""/privacy: a person's data exported or erased on request (administrators only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import PersonRequest
from directory.service_layer import privacy
from shared.http.security import Admin

router = APIRouter(prefix="/privacy", tags=["privacy"])


@router.post("/exports")
async def export(body: PersonRequest, uow: Uow, actor: Admin) -> dict[str, Any]:
    """Everything the directory holds about the person with this email (right of access)."""
    async with uow:
        return await privacy.export_person(uow, actor=actor, email=str(body.email))


@router.post("/erasures")
async def erase(body: PersonRequest, uow: Uow, actor: Admin) -> dict[str, int]:
    """Erase the person's data; answers how many records of each kind were erased."""
    async with uow:
        counts = await privacy.erase_person(uow, actor=actor, email=str(body.email))
        await uow.commit()
    return counts

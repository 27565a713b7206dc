"""/departments: the city's departments (toimialat)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import DepartmentCreate, DepartmentRead
from directory.service_layer import liaisons
from shared.db.uow import UnitOfWork
from shared.http.idempotency import IdempotencyKey, create_idempotently
from shared.http.security import Admin

router = APIRouter(prefix="/departments", tags=["departments"])


def _read(d: object) -> DepartmentRead:
    return DepartmentRead.model_validate(d, from_attributes=True)


@router.get("", response_model=list[DepartmentRead])
async def list_(uow: Uow) -> list[DepartmentRead]:
    async with uow:
        return [_read(d) for d in await liaisons.list_departments(uow)]


@router.post("", status_code=201, response_model=DepartmentRead)
async def create(
    body: DepartmentCreate, uow: Uow, actor: Admin, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    async def create_(u: UnitOfWork) -> tuple[DepartmentRead, uuid.UUID]:
        dept = await liaisons.create_department(u, actor=actor, fields=body.fields())
        return _read(dept), dept.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create_)

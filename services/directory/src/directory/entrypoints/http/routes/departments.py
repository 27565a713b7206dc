"""/departments: the city's departments (toimialat)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from directory.domain.department import Department
from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import DepartmentCreate, DepartmentRead
from directory.service_layer import departments
from shared.http.idempotency import Idempotent
from shared.http.security import Admin

router = APIRouter(prefix="/departments", tags=["departments"])


def _read(d: Department) -> DepartmentRead:
    return DepartmentRead.model_validate(d, from_attributes=True)


@router.get("", response_model=list[DepartmentRead])
async def list_(uow: Uow) -> list[DepartmentRead]:
    return [_read(d) for d in await departments.list_departments(uow)]


@router.post("", status_code=201, response_model=DepartmentRead)
async def create(body: DepartmentCreate, uow: Uow, actor: Admin, idem: Idempotent) -> JSONResponse:
    return await idem.created(uow, lambda: departments.create_department(uow, actor=actor, fields=body.fields()), _read)

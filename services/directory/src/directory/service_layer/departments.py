"""Use cases for the city's departments (toimialat): public to read, added by administrators."""

from __future__ import annotations

import uuid
from typing import Any

from directory.domain.department import Department
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.directory import DepartmentRegistered
from shared.errors import Forbidden

__all__ = ["Department", "create_department", "list_departments"]


async def create_department(uow: DirectoryUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Department:
    if actor.role is not Role.ADMIN:
        raise Forbidden("Only an administrator may add departments.")
    dept = Department(id=uuid.uuid4(), **fields)
    async with uow:
        await uow.departments.add(dept)
        uow.emit(DepartmentRegistered(department_id=dept.id, code=dept.code, name=dept.name))
        await uow.commit()
    return dept


async def list_departments(uow: DirectoryUnitOfWork) -> list[Department]:
    async with uow:
        return await uow.departments.all()

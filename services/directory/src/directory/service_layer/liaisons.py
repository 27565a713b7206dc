"""Use cases for departments and liaison contacts: public to read, kept by admins and department staff."""

from __future__ import annotations

import uuid
from typing import Any

from directory.adapters.repository import Department, DepartmentRepository, LiaisonRepository
from directory.domain.people import LiaisonContact
from shared.auth import Principal
from shared.contracts.directory import DepartmentRegistered, LiaisonAssigned, LiaisonKind, LiaisonUnassigned
from shared.db.uow import UnitOfWork
from shared.errors import Forbidden, InvalidInput, NotFound


async def create_department(uow: UnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Department:
    if actor.role.value != "admin":
        raise Forbidden("Only an administrator may add departments.")
    dept = Department(id=uuid.uuid4(), **fields)
    await DepartmentRepository(uow.session).add(dept)
    uow.emit(DepartmentRegistered(department_id=dept.id, code=dept.code, name=dept.name))
    return dept


async def list_departments(uow: UnitOfWork) -> list[Department]:
    return await DepartmentRepository(uow.session).all()


async def _ensure_may_keep(uow: UnitOfWork, actor: Principal, contact: LiaisonContact) -> None:
    """Admins keep every contact; staff keep their own department's (the coordinator is the admins')."""
    code = None
    if contact.department_id is not None:
        department = await DepartmentRepository(uow.session).get(contact.department_id)
        if department is None:
            raise InvalidInput("No such department.", field="department_id")
        code = department.code
    if not actor.acts_for_department(code) or (contact.kind is LiaisonKind.COORDINATOR and actor.role.value != "admin"):
        raise Forbidden("Staff keep the liaison contacts of their own department only.")


def _assigned(contact: LiaisonContact) -> LiaisonAssigned:
    return LiaisonAssigned(
        liaison_id=contact.id, kind=contact.kind, department_id=contact.department_id, subject_ref=contact.subject_ref
    )


async def create_liaison(uow: UnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> LiaisonContact:
    contact = LiaisonContact(id=uuid.uuid4(), **fields)
    contact.validate()
    await _ensure_may_keep(uow, actor, contact)
    await LiaisonRepository(uow.session).add(contact)
    uow.emit(_assigned(contact))
    return contact


async def update_liaison(
    uow: UnitOfWork, *, actor: Principal, liaison_id: uuid.UUID, changes: dict[str, Any]
) -> LiaisonContact:
    repo = LiaisonRepository(uow.session)
    contact = await repo.get(liaison_id, for_update=True)
    if contact is None or not contact.active:
        raise NotFound("No such liaison contact.")
    await _ensure_may_keep(uow, actor, contact)  # the department it is in now ...
    for name, value in changes.items():
        setattr(contact, name, value)
    contact.validate()
    await _ensure_may_keep(uow, actor, contact)  # ... and the one it moves to
    await repo.save(contact)
    uow.emit(_assigned(contact))
    return contact


async def remove_liaison(uow: UnitOfWork, *, actor: Principal, liaison_id: uuid.UUID) -> None:
    repo = LiaisonRepository(uow.session)
    contact = await repo.get(liaison_id, for_update=True)
    if contact is None:
        raise NotFound("No such liaison contact.")
    await _ensure_may_keep(uow, actor, contact)
    await repo.delete(liaison_id)  # a person who leaves the role leaves no personal data behind
    uow.emit(LiaisonUnassigned(liaison_id=liaison_id))


async def get_liaison(uow: UnitOfWork, *, liaison_id: uuid.UUID) -> LiaisonContact:
    contact = await LiaisonRepository(uow.session).get(liaison_id)
    if contact is None or not contact.active:
        raise NotFound("No such liaison contact.")
    return contact


async def search_liaisons(uow: UnitOfWork, **filters: Any) -> tuple[list[LiaisonContact], int]:
    return await LiaisonRepository(uow.session).search(**filters)

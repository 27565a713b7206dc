"""Use cases for liaison contacts: public to read, kept by admins and department staff.

The directory shows a contact with its department's name, so the use cases answer ``Listed`` contacts: the
names are read in the use case's own transaction, and the HTTP layer only maps.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from directory.domain.department import Department
from directory.domain.people import LiaisonContact
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.directory import LiaisonAssigned, LiaisonKind, LiaisonUnassigned
from shared.errors import Forbidden, InvalidInput, NotFound


@dataclass(frozen=True)
class Listed:
    """A liaison contact as the directory lists it: with the name of its department, if it has one."""

    contact: LiaisonContact
    department_name: str | None


@dataclass(frozen=True)
class LiaisonDirectory:
    """One page of the public directory, and the departments to filter it by."""

    items: list[Listed]
    total: int
    departments: list[Department]


async def _listed(uow: DirectoryUnitOfWork, contacts: list[LiaisonContact]) -> list[Listed]:
    departments = await uow.departments.by_ids({c.department_id for c in contacts if c.department_id})
    return [Listed(c, departments[c.department_id].name if c.department_id else None) for c in contacts]


async def _ensure_may_keep(uow: DirectoryUnitOfWork, actor: Principal, contact: LiaisonContact) -> None:
    """Admins keep every contact; staff keep their own department's (the coordinator is the admins')."""
    code = None
    if contact.department_id is not None:
        department = await uow.departments.get(contact.department_id)
        if department is None:
            raise InvalidInput("No such department.", field="department_id")
        code = department.code
    coordinator = contact.kind is LiaisonKind.COORDINATOR
    if not actor.acts_for_department(code) or (coordinator and actor.role is not Role.ADMIN):
        raise Forbidden("Staff keep the liaison contacts of their own department only.")


def _assigned(contact: LiaisonContact) -> LiaisonAssigned:
    return LiaisonAssigned(
        liaison_id=contact.id, kind=contact.kind, department_id=contact.department_id, subject_ref=contact.subject_ref
    )


async def create_liaison(uow: DirectoryUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Listed:
    contact = LiaisonContact(id=uuid.uuid4(), **fields)
    contact.validate()
    async with uow:
        await _ensure_may_keep(uow, actor, contact)
        await uow.liaisons.add(contact)
        uow.emit(_assigned(contact))
        [listed] = await _listed(uow, [contact])
        await uow.commit()
    return listed


async def update_liaison(
    uow: DirectoryUnitOfWork, *, actor: Principal, liaison_id: uuid.UUID, changes: dict[str, Any]
) -> Listed:
    async with uow:
        contact = await uow.liaisons.get(liaison_id, for_update=True)
        if contact is None or not contact.active:
            raise NotFound("No such liaison contact.")
        await _ensure_may_keep(uow, actor, contact)  # the department it is in now ...
        for name, value in changes.items():
            setattr(contact, name, value)
        contact.validate()
        await _ensure_may_keep(uow, actor, contact)  # ... and the one it moves to
        await uow.liaisons.save(contact)
        uow.emit(_assigned(contact))
        [listed] = await _listed(uow, [contact])
        await uow.commit()
    return listed


async def remove_liaison(uow: DirectoryUnitOfWork, *, actor: Principal, liaison_id: uuid.UUID) -> None:
    async with uow:
        contact = await uow.liaisons.get(liaison_id, for_update=True)
        if contact is None:
            raise NotFound("No such liaison contact.")
        await _ensure_may_keep(uow, actor, contact)
        await uow.liaisons.delete(liaison_id)  # a person who leaves the role leaves no personal data behind
        uow.emit(LiaisonUnassigned(liaison_id=liaison_id))
        await uow.commit()


async def get_liaison(uow: DirectoryUnitOfWork, *, liaison_id: uuid.UUID) -> Listed:
    async with uow:
        contact = await uow.liaisons.get(liaison_id)
        if contact is None or not contact.active:
            raise NotFound("No such liaison contact.")
        [listed] = await _listed(uow, [contact])
    return listed


async def search_liaisons(
    uow: DirectoryUnitOfWork,
    *,
    q: str | None = None,
    kind: LiaisonKind | None = None,
    department_id: uuid.UUID | None = None,
    topic: str | None = None,
    subject_ref: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Listed], int]:
    """Active contacts, the coordinator first: the single entry point for associations new to the city."""
    async with uow:
        contacts, total = await uow.liaisons.search(
            q=q, kind=kind, department_id=department_id, topic=topic, subject_ref=subject_ref,
            limit=limit, offset=offset,
        )  # fmt: skip
        return await _listed(uow, contacts), total


async def browse_liaison_directory(
    uow: DirectoryUnitOfWork,
    *,
    q: str | None = None,
    kind: LiaisonKind | None = None,
    department_id: uuid.UUID | None = None,
    limit: int = 100,
    offset: int = 0,
) -> LiaisonDirectory:
    """What the public page shows: one page of contacts and every department, read in one transaction."""
    async with uow:
        items, total = await search_liaisons(
            uow, q=q, kind=kind, department_id=department_id, limit=limit, offset=offset
        )
        return LiaisonDirectory(items, total, await uow.departments.all())

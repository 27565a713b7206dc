"""Use cases keeping grants' own copy of the directory's applicants, departments and liaison contacts current.

Each joins the consumer's unit of work (which holds the event's inbox row) and writes under the copy's
revision guard (``shared.copies``), so redelivered and out-of-order events end in the directory's latest
state. Departments and liaison contacts carry no revision: the caller passes the event's time as one
(``shared.copies.revision_at``).
"""

from __future__ import annotations

import uuid

from grants.adapters.repository import ApplicantCopy, DepartmentCopy, LiaisonCopy
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.contracts.directory import ApplicantKind, LiaisonKind


async def copy_applicant(
    uow: GrantsUnitOfWork,
    *,
    applicant_id: uuid.UUID,
    kind: ApplicantKind,
    name: str | None,
    active: bool,
    revision: int,
) -> None:
    """The applicant's whole public state (registered, updated); a private person's name is never kept."""
    name = None if kind is ApplicantKind.PRIVATE_PERSON else name
    async with uow:
        await uow.applicants.apply_state(
            ApplicantCopy(id=applicant_id, kind=kind, name=name, active=active, revision=revision)
        )
        await uow.commit()


async def copy_applicant_status(uow: GrantsUnitOfWork, *, applicant_id: uuid.UUID, active: bool, revision: int) -> None:
    """Deactivated or reactivated: only ``active`` changes, and only when newer."""
    async with uow:
        await uow.applicants.apply_status(applicant_id, active=active, revision=revision)
        await uow.commit()


async def copy_department(
    uow: GrantsUnitOfWork, *, department_id: uuid.UUID, code: str, name: str, revision: int
) -> None:
    async with uow:
        await uow.departments.apply(DepartmentCopy(id=department_id, code=code, name=name), revision=revision)
        await uow.commit()


async def copy_liaison(
    uow: GrantsUnitOfWork,
    *,
    liaison_id: uuid.UUID,
    kind: LiaisonKind,
    department_id: uuid.UUID | None,
    subject_ref: str | None,
    revision: int,
) -> None:
    """A liaison contact was assigned (or its assignment changed)."""
    copy = LiaisonCopy(id=liaison_id, kind=kind, department_id=department_id, subject_ref=subject_ref, assigned=True)
    async with uow:
        await uow.liaisons.apply(copy, revision=revision)
        await uow.commit()


async def copy_liaison_unassigned(uow: GrantsUnitOfWork, *, liaison_id: uuid.UUID, revision: int) -> None:
    """The contact left its role: kept as unassigned, so that an older assignment arriving late stays void."""
    async with uow:
        await uow.liaisons.unassign(liaison_id, revision=revision)
        await uow.commit()

"""Use cases keeping bookings' copies current: the directory's applicants, departments and facility contacts,
and grants' partnership agreements with their premises terms.

Each joins the consumer's unit of work (which holds the event's inbox row). The directory's copies are written
under ``shared.copies``' revision guard, so redelivered and out-of-order events end in the latest state.
"""

from __future__ import annotations

import uuid
from datetime import date

from bookings.domain.facility import PartnershipCopy
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.contracts.directory import ApplicantKind, LiaisonKind


async def copy_applicant(
    uow: BookingsUnitOfWork,
    *,
    applicant_id: uuid.UUID,
    kind: ApplicantKind,
    name: str | None,
    active: bool,
    revision: int,
) -> None:
    """The applicant's public state; a private person's name is never kept."""
    name = None if kind is ApplicantKind.PRIVATE_PERSON else name
    async with uow:
        await uow.applicants.apply_state(applicant_id, kind=kind, name=name, active=active, revision=revision)
        await uow.commit()


async def copy_applicant_status(
    uow: BookingsUnitOfWork, *, applicant_id: uuid.UUID, active: bool, revision: int
) -> None:
    async with uow:
        await uow.applicants.apply_status(applicant_id, active=active, revision=revision)
        await uow.commit()


async def copy_department(
    uow: BookingsUnitOfWork, *, department_id: uuid.UUID, code: str, name: str, revision: int
) -> None:
    async with uow:
        await uow.departments.apply(department_id, code=code, name=name, revision=revision)
        await uow.commit()


async def copy_liaison(
    uow: BookingsUnitOfWork,
    *,
    liaison_id: uuid.UUID,
    kind: LiaisonKind,
    department_id: uuid.UUID | None,
    revision: int,
) -> None:
    async with uow:
        await uow.liaisons.apply(liaison_id, kind=kind, department_id=department_id, revision=revision)
        await uow.commit()


async def copy_liaison_unassigned(uow: BookingsUnitOfWork, *, liaison_id: uuid.UUID, revision: int) -> None:
    async with uow:
        await uow.liaisons.unassign(liaison_id, revision=revision)
        await uow.commit()


async def copy_partnership(
    uow: BookingsUnitOfWork,
    *,
    agreement_id: uuid.UUID,
    applicant_id: uuid.UUID,
    department_code: str,
    starts_on: date,
    ends_on: date,
    free_premises: bool,
    facility_ids: list[uuid.UUID],
) -> None:
    """A signed agreement: its period and whether it includes free use of the department's premises."""
    copy = PartnershipCopy(
        id=agreement_id,
        applicant_id=applicant_id,
        department_code=department_code,
        starts_on=starts_on,
        ends_on=ends_on,
        free_premises=free_premises,
        facility_ids=facility_ids,
    )
    async with uow:
        await uow.partnerships.put(copy)
        await uow.commit()


async def copy_partnership_ended(
    uow: BookingsUnitOfWork, *, agreement_id: uuid.UUID, applicant_id: uuid.UUID, ended_on: date
) -> None:
    async with uow:
        await uow.partnerships.end(agreement_id, applicant_id, ended_on)
        await uow.commit()

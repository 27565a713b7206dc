"""Use cases keeping bookings' copy of grants' partnership agreements, with their premises terms, current.

Each joins the consumer's unit of work (which holds the event's inbox row). The directory's applicants,
departments and facility contacts are copied by the kit (``shared.directory_copy``).
"""

from __future__ import annotations

import uuid
from datetime import date

from bookings.domain.facility import PartnershipCopy
from bookings.service_layer.unit_of_work import BookingsUnitOfWork


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

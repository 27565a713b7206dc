"""Use cases keeping grants' own copy of the directory's applicants and departments current.

Each joins the consumer's unit of work (which holds the event's inbox row) and applies the change under the
copy's revision guard, so redelivered and out-of-order events end in the directory's latest state.
"""

from __future__ import annotations

import uuid

from grants.adapters.repository import ApplicantCopy
from grants.service_layer.unit_of_work import GrantsUnitOfWork


async def copy_applicant(uow: GrantsUnitOfWork, *, copy: ApplicantCopy) -> None:
    async with uow:
        await uow.applicants.apply_state(copy)
        await uow.commit()


async def copy_applicant_status(uow: GrantsUnitOfWork, *, applicant_id: uuid.UUID, active: bool, revision: int) -> None:
    async with uow:
        await uow.applicants.apply_status(applicant_id, active=active, revision=revision)
        await uow.commit()


async def copy_department(uow: GrantsUnitOfWork, *, department_id: uuid.UUID, code: str, name: str) -> None:
    async with uow:
        await uow.departments.upsert(department_id, code, name)
        await uow.commit()

"""Use cases keeping the calendar's copy of the directory's associations current (from its events).

Each joins the consumer's unit of work (which holds the event's inbox row); the writes are guarded by the
directory's revision (``shared.copies``), so redelivered and out-of-order events end in the latest state.
"""

from __future__ import annotations

import uuid

from calendar_service.adapters.copies import AssociationCopy
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.contracts.directory import ApplicantKind


async def copy_association(
    uow: CalendarUnitOfWork, *, association_id: uuid.UUID, kind: ApplicantKind, active: bool,
    fields_of_activity: list[str], revision: int,
) -> None:  # fmt: skip
    copy = AssociationCopy(association_id, kind, active, fields_of_activity, revision)
    async with uow:
        await uow.associations.apply_state(copy)
        await uow.commit()


async def copy_association_status(
    uow: CalendarUnitOfWork, *, association_id: uuid.UUID, active: bool, revision: int
) -> None:
    async with uow:
        await uow.associations.apply_status(association_id, active=active, revision=revision)
        await uow.commit()

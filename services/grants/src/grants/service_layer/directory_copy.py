"""Grants' own copy of the directory's applicants and departments, kept from the directory's events."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from grants.adapters.repository import ApplicantCopy, ApplicantCopyRepository, DepartmentCopyRepository
from shared.contracts.directory import (
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
    DepartmentRegistered,
)
from shared.contracts.envelope import Envelope
from shared.messaging.consumer import Subscription


async def on_applicant_state(session: AsyncSession, envelope: Envelope[Any]) -> None:
    data: AssociationRegistered | AssociationUpdated = envelope.data
    copy = ApplicantCopy(
        id=data.applicant_id, kind=data.kind, name=data.name, active=data.active, revision=data.revision
    )
    await ApplicantCopyRepository(session).apply_state(copy)


async def on_deactivated(session: AsyncSession, envelope: Envelope[Any]) -> None:
    data: AssociationDeactivated = envelope.data
    await ApplicantCopyRepository(session).apply_status(data.applicant_id, active=False, revision=data.revision)


async def on_reactivated(session: AsyncSession, envelope: Envelope[Any]) -> None:
    data: AssociationReactivated = envelope.data
    await ApplicantCopyRepository(session).apply_status(data.applicant_id, active=True, revision=data.revision)


async def on_department(session: AsyncSession, envelope: Envelope[Any]) -> None:
    data: DepartmentRegistered = envelope.data
    await DepartmentCopyRepository(session).upsert(data.department_id, data.code, data.name)


SUBSCRIPTIONS = [
    Subscription("grants", AssociationRegistered, on_applicant_state),
    Subscription("grants", AssociationUpdated, on_applicant_state),
    Subscription("grants", AssociationDeactivated, on_deactivated),
    Subscription("grants", AssociationReactivated, on_reactivated),
    Subscription("grants", DepartmentRegistered, on_department),
]

"""Use cases for applicants: register, change, deactivate, reactivate, read and search."""

from __future__ import annotations

import uuid
from typing import Any

from directory.domain.applicant import Applicant
from directory.service_layer.access import ensure_acts_for, ensure_staff, ensure_visible
from directory.service_layer.events import applicant_state
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.auth import Principal
from shared.contracts.directory import (
    ApplicantKind,
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
)


async def register_applicant(uow: DirectoryUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Applicant:
    """Staff register an applicant; other services learn of it from ``AssociationRegistered``."""
    ensure_staff(actor)
    applicant = Applicant(id=uuid.uuid4(), **fields)
    applicant.validate()
    async with uow:
        await uow.applicants.add(applicant)
        uow.emit(applicant_state(applicant, AssociationRegistered))
        await uow.commit()
    return applicant


async def update_applicant(
    uow: DirectoryUnitOfWork, *, actor: Principal, applicant_id: uuid.UUID, changes: dict[str, Any]
) -> Applicant:
    """The association's own representatives keep its profile; only staff change what identifies it.

    A change that changes nothing keeps the revision and emits nothing, so a retried PATCH is harmless.
    """
    async with uow:
        applicant = ensure_acts_for(actor, await uow.applicants.get(applicant_id, for_update=True))
        if applicant.change(changes, may_change_identity=actor.is_staff_or_admin):
            await uow.applicants.save(applicant)
            uow.emit(applicant_state(applicant, AssociationUpdated))
            await uow.commit()
    return applicant


async def set_applicant_active(
    uow: DirectoryUnitOfWork, *, actor: Principal, applicant_id: uuid.UUID, active: bool
) -> Applicant:
    """Deactivate (no more applying or booking; the record stays) or reactivate an applicant."""
    ensure_staff(actor)
    async with uow:
        applicant = ensure_visible(actor, await uow.applicants.get(applicant_id, for_update=True))
        if active:
            applicant.reactivate()
            event: AssociationReactivated | AssociationDeactivated = AssociationReactivated(
                applicant_id=applicant.id, revision=applicant.revision
            )
        else:
            applicant.deactivate()
            event = AssociationDeactivated(applicant_id=applicant.id, revision=applicant.revision)
        await uow.applicants.save(applicant)
        uow.emit(event)
        await uow.commit()
    return applicant


async def get_applicant(uow: DirectoryUnitOfWork, *, actor: Principal, applicant_id: uuid.UUID) -> Applicant:
    async with uow.reading():
        return ensure_visible(actor, await uow.applicants.get(applicant_id))


async def search_applicants(
    uow: DirectoryUnitOfWork,
    *,
    actor: Principal,
    q: str | None = None,
    kind: ApplicantKind | None = None,
    field: str | None = None,
    district: str | None = None,
    language: str | None = None,
    include_inactive: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Applicant], int]:
    """The public sees active associations and groups; staff also private persons and, on request, inactive."""
    staff = actor.is_staff_or_admin
    async with uow.reading():
        return await uow.applicants.search(
            q=q,
            kind=kind,
            field=field,
            district=district,
            language=language,
            public_only=not staff,
            include_inactive=staff and include_inactive,
            limit=limit,
            offset=offset,
        )

"""Use cases for applicants: register, change, deactivate, reactivate, read and search."""

from __future__ import annotations

import uuid
from typing import Any

from directory.adapters.repository import ApplicantRepository
from directory.domain.applicant import Applicant
from directory.service_layer.access import ensure_acts_for, ensure_staff, ensure_visible
from directory.service_layer.events import applicant_state
from shared.auth import Principal
from shared.contracts.directory import (
    ApplicantKind,
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
)
from shared.db.uow import UnitOfWork


async def register_applicant(uow: UnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Applicant:
    ensure_staff(actor)
    applicant = Applicant(id=uuid.uuid4(), **fields)
    applicant.validate()
    await ApplicantRepository(uow.session).add(applicant)
    uow.emit(applicant_state(applicant, AssociationRegistered))
    return applicant


async def update_applicant(
    uow: UnitOfWork, *, actor: Principal, applicant_id: uuid.UUID, changes: dict[str, Any]
) -> Applicant:
    repo = ApplicantRepository(uow.session)
    applicant = ensure_acts_for(actor, await repo.get(applicant_id, for_update=True))
    if applicant.change(changes, may_change_identity=actor.is_staff_or_admin):
        await repo.save(applicant)
        uow.emit(applicant_state(applicant, AssociationUpdated))
    return applicant


async def set_applicant_active(
    uow: UnitOfWork, *, actor: Principal, applicant_id: uuid.UUID, active: bool
) -> Applicant:
    """Deactivate (no more applying or booking; the record stays) or reactivate an applicant."""
    ensure_staff(actor)
    repo = ApplicantRepository(uow.session)
    applicant = ensure_visible(actor, await repo.get(applicant_id, for_update=True))
    if active:
        applicant.reactivate()
        event: AssociationReactivated | AssociationDeactivated = AssociationReactivated(
            applicant_id=applicant.id, revision=applicant.revision
        )
    else:
        applicant.deactivate()
        event = AssociationDeactivated(applicant_id=applicant.id, revision=applicant.revision)
    await repo.save(applicant)
    uow.emit(event)
    return applicant


async def get_applicant(uow: UnitOfWork, *, actor: Principal, applicant_id: uuid.UUID) -> Applicant:
    return ensure_visible(actor, await ApplicantRepository(uow.session).get(applicant_id))


async def search_applicants(
    uow: UnitOfWork,
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
    return await ApplicantRepository(uow.session).search(
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

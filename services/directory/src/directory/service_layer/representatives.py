"""Use cases for an applicant's representatives: personal data, seen by staff and that applicant only."""

from __future__ import annotations

import uuid
from typing import Any

from directory.adapters.repository import ApplicantRepository, RepresentativeRepository
from directory.domain.people import Representative
from directory.service_layer.access import ensure_acts_for
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound


async def _authorised(uow: UnitOfWork, actor: Principal, applicant_id: uuid.UUID) -> None:
    ensure_acts_for(actor, await ApplicantRepository(uow.session).get(applicant_id))


async def list_representatives(uow: UnitOfWork, *, actor: Principal, applicant_id: uuid.UUID) -> list[Representative]:
    await _authorised(uow, actor, applicant_id)
    return await RepresentativeRepository(uow.session).of_applicant(applicant_id)


async def add_representative(
    uow: UnitOfWork, *, actor: Principal, applicant_id: uuid.UUID, fields: dict[str, Any]
) -> Representative:
    await _authorised(uow, actor, applicant_id)
    person = Representative(id=uuid.uuid4(), applicant_id=applicant_id, **fields)
    person.validate()
    await RepresentativeRepository(uow.session).add(person)
    return person


async def _own(
    uow: UnitOfWork, actor: Principal, applicant_id: uuid.UUID, representative_id: uuid.UUID
) -> Representative:
    await _authorised(uow, actor, applicant_id)
    person = await RepresentativeRepository(uow.session).get(representative_id, for_update=True)
    if person is None or person.applicant_id != applicant_id:
        raise NotFound("No such representative.")
    return person


async def update_representative(
    uow: UnitOfWork,
    *,
    actor: Principal,
    applicant_id: uuid.UUID,
    representative_id: uuid.UUID,
    changes: dict[str, Any],
) -> Representative:
    person = await _own(uow, actor, applicant_id, representative_id)
    for name, value in changes.items():
        setattr(person, name, value)
    person.validate()
    await RepresentativeRepository(uow.session).save(person)
    return person


async def remove_representative(
    uow: UnitOfWork, *, actor: Principal, applicant_id: uuid.UUID, representative_id: uuid.UUID
) -> None:
    await _own(uow, actor, applicant_id, representative_id)
    await RepresentativeRepository(uow.session).delete(representative_id)

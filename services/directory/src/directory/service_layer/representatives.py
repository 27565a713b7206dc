"""Use cases for an applicant's representatives: personal data, seen by staff and that applicant only.

Representatives travel in no event (they are personal data), so these use cases emit nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from directory.domain.people import Recipient, Representative
from directory.service_layer.access import ensure_acts_for
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.directory import ApplicantKind, MessageTopic
from shared.errors import Forbidden, NotFound


async def _authorised(uow: DirectoryUnitOfWork, actor: Principal, applicant_id: uuid.UUID) -> None:
    """Within the caller's unit: staff, or the association's own representatives."""
    ensure_acts_for(actor, await uow.applicants.get(applicant_id))


async def list_representatives(
    uow: DirectoryUnitOfWork, *, actor: Principal, applicant_id: uuid.UUID
) -> list[Representative]:
    async with uow:
        await _authorised(uow, actor, applicant_id)
        return await uow.representatives.of_applicant(applicant_id)


async def add_representative(
    uow: DirectoryUnitOfWork, *, actor: Principal, applicant_id: uuid.UUID, fields: dict[str, Any]
) -> Representative:
    async with uow:
        await _authorised(uow, actor, applicant_id)
        person = Representative(id=uuid.uuid4(), applicant_id=applicant_id, **fields)
        person.validate()
        await uow.representatives.add(person)
        await uow.commit()
    return person


async def _own(
    uow: DirectoryUnitOfWork, actor: Principal, applicant_id: uuid.UUID, representative_id: uuid.UUID
) -> Representative:
    """The representative, if it is this applicant's: another's is answered as missing."""
    await _authorised(uow, actor, applicant_id)
    person = await uow.representatives.get(representative_id, for_update=True)
    if person is None or person.applicant_id != applicant_id:
        raise NotFound("No such representative.")
    return person


async def update_representative(
    uow: DirectoryUnitOfWork,
    *,
    actor: Principal,
    applicant_id: uuid.UUID,
    representative_id: uuid.UUID,
    changes: dict[str, Any],
) -> Representative:
    async with uow:
        person = await _own(uow, actor, applicant_id, representative_id)
        for name, value in changes.items():
            setattr(person, name, value)
        person.validate()
        await uow.representatives.save(person)
        await uow.commit()
    return person


async def remove_representative(
    uow: DirectoryUnitOfWork, *, actor: Principal, applicant_id: uuid.UUID, representative_id: uuid.UUID
) -> None:
    async with uow:
        await _own(uow, actor, applicant_id, representative_id)
        await uow.representatives.delete(representative_id)
        await uow.commit()


async def list_recipients(
    uow: DirectoryUnitOfWork,
    *,
    actor: Principal,
    association_ids: list[uuid.UUID],
    kinds: list[ApplicantKind],
    fields_of_activity: list[str],
    topic: MessageTopic | None,
    limit: int,
    offset: int,
) -> tuple[list[Recipient], int]:
    """Where to reach the representatives a message is for (ADR 0003: asked at send time, never copied).

    Only another service may ask (the notifier, with a ``service`` token), and it learns the addresses and
    nothing else of these people.
    """
    if actor.role is not Role.SERVICE:
        raise Forbidden("Only the city's own services may read where to reach representatives.")
    fields = [f.strip().lower() for f in fields_of_activity]
    async with uow:
        return await uow.representatives.recipients(
            association_ids=association_ids, kinds=kinds, fields_of_activity=fields, topic=topic,
            limit=limit, offset=offset,
        )  # fmt: skip

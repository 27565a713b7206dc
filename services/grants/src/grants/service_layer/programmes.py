"""Use cases for grant programmes and their versioned principles."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from grants.adapters.repository import PrinciplesRepository, PrinciplesVersion, ProgrammeRepository
from grants.domain.programme import Programme
from grants.service_layer.access import ensure_department_staff
from shared.auth import Principal
from shared.contracts.grants import GrantProgrammeCreated
from shared.db.uow import UnitOfWork
from shared.errors import NotFound


async def create_programme(uow: UnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Programme:
    programme = Programme(id=uuid.uuid4(), **fields)
    ensure_department_staff(actor, programme.department_code)
    programme.validate()
    await ProgrammeRepository(uow.session).add(programme)
    uow.emit(
        GrantProgrammeCreated(
            programme_id=programme.id,
            name=programme.name,
            kind=programme.kind,
            intake=programme.intake,
            department_code=programme.department_code,
            eligible_kinds=programme.eligible_kinds,
        )
    )
    return programme


async def get_programme(uow: UnitOfWork, *, programme_id: uuid.UUID) -> Programme:
    programme = await ProgrammeRepository(uow.session).get(programme_id)
    if programme is None:
        raise NotFound("No such programme.", field="programme_id")
    return programme


async def list_programmes(uow: UnitOfWork, *, include_inactive: bool = False) -> list[Programme]:
    return await ProgrammeRepository(uow.session).all(active_only=not include_inactive)


async def adopt_principles(
    uow: UnitOfWork, *, actor: Principal, programme_id: uuid.UUID, title: str, body: str, adopted_on: date
) -> PrinciplesVersion:
    """Grant principles are reviewed yearly; each adoption is a new version, and rounds record theirs."""
    programme = await get_programme(uow, programme_id=programme_id)
    ensure_department_staff(actor, programme.department_code)
    repo = PrinciplesRepository(uow.session)
    version = PrinciplesVersion(
        id=uuid.uuid4(),
        programme_id=programme_id,
        version=await repo.next_version(programme_id),
        title=title,
        body=body,
        adopted_on=adopted_on,
    )
    await repo.add(version)
    return version


async def list_principles(uow: UnitOfWork, *, programme_id: uuid.UUID) -> list[PrinciplesVersion]:
    await get_programme(uow, programme_id=programme_id)
    return await PrinciplesRepository(uow.session).of_programme(programme_id)

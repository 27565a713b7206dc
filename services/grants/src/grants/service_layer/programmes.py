"""Use cases for grant programmes and their versioned principles.

A programme names its responsible department and, optionally, a liaison contact by the directory's codes
and ids; both must be ones grants' copy of the directory knows, or the programme would answer to nobody.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from grants.adapters.repository import PrinciplesVersion
from grants.domain.programme import Programme
from grants.service_layer.access import ensure_department_staff
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.auth import Principal
from shared.contracts.grants import GrantProgrammeCreated
from shared.errors import InvalidInput, NotFound


async def _ensure_directory_knows(uow: GrantsUnitOfWork, programme: Programme) -> None:
    if not await uow.departments.known(programme.department_code):
        raise InvalidInput("The directory has no department with this code.", field="department_code")
    liaison_id = programme.responsible_liaison_id
    if liaison_id is not None and await uow.liaisons.unknown_of([liaison_id]):
        raise InvalidInput("The directory has no such liaison contact.", field="responsible_liaison_id")


async def create_programme(uow: GrantsUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Programme:
    programme = Programme(id=uuid.uuid4(), **fields)
    ensure_department_staff(actor, programme.department_code)
    programme.validate()
    async with uow:
        await _ensure_directory_knows(uow, programme)
        await uow.programmes.add(programme)
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
        await uow.commit()
    return programme


async def load_programme(uow: GrantsUnitOfWork, programme_id: uuid.UUID) -> Programme:
    """The programme, inside a unit of work the caller has entered."""
    programme = await uow.programmes.get(programme_id)
    if programme is None:
        raise NotFound("No such programme.", field="programme_id")
    return programme


async def get_programme(uow: GrantsUnitOfWork, *, programme_id: uuid.UUID) -> Programme:
    async with uow.reading():
        return await load_programme(uow, programme_id)


async def list_programmes(uow: GrantsUnitOfWork, *, include_inactive: bool = False) -> list[Programme]:
    async with uow.reading():
        return await uow.programmes.all(active_only=not include_inactive)


async def adopt_principles(
    uow: GrantsUnitOfWork, *, actor: Principal, programme_id: uuid.UUID, title: str, body: str, adopted_on: date
) -> PrinciplesVersion:
    """Grant principles are reviewed yearly; each adoption is a new version, and rounds record theirs."""
    async with uow:
        programme = await load_programme(uow, programme_id)
        ensure_department_staff(actor, programme.department_code)
        version = PrinciplesVersion(
            id=uuid.uuid4(),
            programme_id=programme_id,
            version=await uow.principles.next_version(programme_id),
            title=title,
            body=body,
            adopted_on=adopted_on,
        )
        await uow.principles.add(version)
        await uow.commit()
    return version


async def list_principles(uow: GrantsUnitOfWork, *, programme_id: uuid.UUID) -> list[PrinciplesVersion]:
    async with uow:
        await load_programme(uow, programme_id)
        return await uow.principles.of_programme(programme_id)

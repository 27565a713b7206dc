"""/programmes: grant programmes and their versioned principles."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from grants.domain.programme import Programme
from grants.entrypoints.http.deps import Uow
from grants.entrypoints.http.schemas.common import read
from grants.entrypoints.http.schemas.programmes import PrinciplesCreate, PrinciplesRead, ProgrammeCreate, ProgrammeRead
from grants.service_layer import programmes
from shared.http.idempotency import Idempotent
from shared.http.security import Staff

router = APIRouter(prefix="/programmes", tags=["programmes"])


def _read(programme: Programme) -> ProgrammeRead:
    return read(ProgrammeRead, programme)


def _principles(version: object) -> PrinciplesRead:
    return read(PrinciplesRead, version)


@router.get("", response_model=list[ProgrammeRead])
async def list_(uow: Uow) -> list[ProgrammeRead]:
    return [_read(p) for p in await programmes.list_programmes(uow)]


@router.post("", status_code=201, response_model=ProgrammeRead)
async def create(body: ProgrammeCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """The department and the liaison contact named must be ones the directory has told grants of."""
    fields = body.fields()
    return await idem.created(uow, lambda: programmes.create_programme(uow, actor=actor, fields=fields), _read)


@router.get("/{programme_id}", response_model=ProgrammeRead)
async def get(programme_id: uuid.UUID, uow: Uow) -> ProgrammeRead:
    return _read(await programmes.get_programme(uow, programme_id=programme_id))


@router.get("/{programme_id}/principles", response_model=list[PrinciplesRead])
async def principles(programme_id: uuid.UUID, uow: Uow) -> list[PrinciplesRead]:
    """Every version of the programme's grant principles, oldest first: public."""
    return [_principles(p) for p in await programmes.list_principles(uow, programme_id=programme_id)]


@router.post("/{programme_id}/principles", status_code=201, response_model=PrinciplesRead)
async def adopt(
    programme_id: uuid.UUID, body: PrinciplesCreate, uow: Uow, actor: Staff, idem: Idempotent
) -> JSONResponse:
    fields = body.fields()
    return await idem.created(
        uow, lambda: programmes.adopt_principles(uow, actor=actor, programme_id=programme_id, **fields), _principles
    )

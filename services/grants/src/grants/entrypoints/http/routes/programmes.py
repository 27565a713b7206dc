"""/programmes: grant programmes and their versioned principles."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from grants.entrypoints.http.deps import Uow
from grants.entrypoints.http.schemas.common import read
from grants.entrypoints.http.schemas.programmes import PrinciplesCreate, PrinciplesRead, ProgrammeCreate, ProgrammeRead
from grants.service_layer import programmes
from shared.db.uow import UnitOfWork
from shared.http.idempotency import IdempotencyKey, create_idempotently
from shared.http.security import Staff

router = APIRouter(prefix="/programmes", tags=["programmes"])


@router.get("", response_model=list[ProgrammeRead])
async def list_(uow: Uow) -> list[ProgrammeRead]:
    async with uow:
        return [read(ProgrammeRead, p) for p in await programmes.list_programmes(uow)]


@router.post("", status_code=201, response_model=ProgrammeRead)
async def create(
    body: ProgrammeCreate, uow: Uow, actor: Staff, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    async def create_(u: UnitOfWork) -> tuple[ProgrammeRead, uuid.UUID]:
        programme = await programmes.create_programme(u, actor=actor, fields=body.fields())
        return read(ProgrammeRead, programme), programme.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create_)


@router.get("/{programme_id}", response_model=ProgrammeRead)
async def get(programme_id: uuid.UUID, uow: Uow) -> ProgrammeRead:
    async with uow:
        return read(ProgrammeRead, await programmes.get_programme(uow, programme_id=programme_id))


@router.get("/{programme_id}/principles", response_model=list[PrinciplesRead])
async def principles(programme_id: uuid.UUID, uow: Uow) -> list[PrinciplesRead]:
    """Every version of the programme's grant principles, oldest first: public."""
    async with uow:
        return [read(PrinciplesRead, p) for p in await programmes.list_principles(uow, programme_id=programme_id)]


@router.post("/{programme_id}/principles", status_code=201, response_model=PrinciplesRead)
async def adopt(
    programme_id: uuid.UUID,
    body: PrinciplesCreate,
    uow: Uow,
    actor: Staff,
    request: Request,
    key: IdempotencyKey = None,
) -> JSONResponse:
    async def create_(u: UnitOfWork) -> tuple[PrinciplesRead, uuid.UUID]:
        version = await programmes.adopt_principles(u, actor=actor, programme_id=programme_id, **body.fields())
        return read(PrinciplesRead, version), version.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create_)

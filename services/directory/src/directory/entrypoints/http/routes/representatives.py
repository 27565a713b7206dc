"""/associations/{id}/representatives: personal data, for city staff and the association itself."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import RepresentativeCreate, RepresentativeRead, RepresentativeUpdate
from directory.service_layer import representatives
from shared.db.uow import UnitOfWork
from shared.http.idempotency import IdempotencyKey, create_idempotently
from shared.http.security import SignedIn

router = APIRouter(prefix="/associations/{applicant_id}/representatives", tags=["representatives"])


def _read(r: object) -> RepresentativeRead:
    return RepresentativeRead.model_validate(r, from_attributes=True)


@router.get("", response_model=list[RepresentativeRead])
async def list_(applicant_id: uuid.UUID, uow: Uow, actor: SignedIn) -> list[RepresentativeRead]:
    async with uow:
        return [
            _read(r) for r in await representatives.list_representatives(uow, actor=actor, applicant_id=applicant_id)
        ]


@router.post("", status_code=201, response_model=RepresentativeRead)
async def add(
    applicant_id: uuid.UUID, body: RepresentativeCreate, uow: Uow, actor: SignedIn, request: Request,
    key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    async def create(u: UnitOfWork) -> tuple[RepresentativeRead, uuid.UUID]:
        person = await representatives.add_representative(
            u, actor=actor, applicant_id=applicant_id, fields=body.fields()
        )
        return _read(person), person.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create)


@router.patch("/{representative_id}", response_model=RepresentativeRead)
async def update(
    applicant_id: uuid.UUID, representative_id: uuid.UUID, body: RepresentativeUpdate, uow: Uow, actor: SignedIn
) -> RepresentativeRead:
    async with uow:
        person = await representatives.update_representative(
            uow, actor=actor, applicant_id=applicant_id, representative_id=representative_id, changes=body.fields()
        )
        await uow.commit()
    return _read(person)


@router.delete("/{representative_id}", status_code=204)
async def remove(applicant_id: uuid.UUID, representative_id: uuid.UUID, uow: Uow, actor: SignedIn) -> Response:
    async with uow:
        await representatives.remove_representative(
            uow, actor=actor, applicant_id=applicant_id, representative_id=representative_id
        )
        await uow.commit()
    return Response(status_code=204)

"""/associations/{id}/representatives: personal data, for city staff and the association itself."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from directory.domain.people import Representative
from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import RepresentativeCreate, RepresentativeRead, RepresentativeUpdate
from directory.service_layer import representatives
from shared.http.idempotency import Idempotent
from shared.http.security import SignedIn

router = APIRouter(prefix="/associations/{applicant_id}/representatives", tags=["representatives"])


def _read(r: Representative) -> RepresentativeRead:
    return RepresentativeRead.model_validate(r, from_attributes=True)


@router.get("", response_model=list[RepresentativeRead])
async def list_(applicant_id: uuid.UUID, uow: Uow, actor: SignedIn) -> list[RepresentativeRead]:
    return [_read(r) for r in await representatives.list_representatives(uow, actor=actor, applicant_id=applicant_id)]


@router.post("", status_code=201, response_model=RepresentativeRead)
async def add(
    applicant_id: uuid.UUID, body: RepresentativeCreate, uow: Uow, actor: SignedIn, idem: Idempotent
) -> JSONResponse:
    return await idem.created(
        uow,
        lambda: representatives.add_representative(uow, actor=actor, applicant_id=applicant_id, fields=body.fields()),
        _read,
    )


@router.patch("/{representative_id}", response_model=RepresentativeRead)
async def update(
    applicant_id: uuid.UUID, representative_id: uuid.UUID, body: RepresentativeUpdate, uow: Uow, actor: SignedIn
) -> RepresentativeRead:
    return _read(
        await representatives.update_representative(
            uow, actor=actor, applicant_id=applicant_id, representative_id=representative_id, changes=body.fields()
        )
    )


@router.delete("/{representative_id}", status_code=204)
async def remove(applicant_id: uuid.UUID, representative_id: uuid.UUID, uow: Uow, actor: SignedIn) -> Response:
    await representatives.remove_representative(
        uow, actor=actor, applicant_id=applicant_id, representative_id=representative_id
    )
    return Response(status_code=204)

"""/associations: applicants (registered associations, groups, private persons)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from directory.domain.applicant import Applicant
from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import ApplicantCreate, ApplicantRead, ApplicantUpdate
from directory.service_layer import applicants
from shared.contracts.directory import ApplicantKind
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, SignedIn, Staff

router = APIRouter(prefix="/associations", tags=["associations"])


def _read(a: Applicant) -> ApplicantRead:
    return ApplicantRead.model_validate(a, from_attributes=True)


@router.get("", response_model=Page[ApplicantRead])
async def search(
    uow: Uow,
    actor: CurrentPrincipal,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name, or a business ID")] = None,
    kind: ApplicantKind | None = None,
    field: Annotated[str | None, Query(max_length=60, description="Field of activity")] = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2}$")] = None,
    include_inactive: Annotated[bool, Query(description="Staff only")] = False,
) -> Page[ApplicantRead]:
    items, total = await applicants.search_applicants(
        uow, actor=actor, q=q, kind=kind, field=field, district=district, language=language,
        include_inactive=include_inactive, limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
    return Page(items=[_read(a) for a in items], total=total, limit=paging.limit, offset=paging.offset)


@router.post("", status_code=201, response_model=ApplicantRead)
async def register(body: ApplicantCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    return await idem.created(uow, lambda: applicants.register_applicant(uow, actor=actor, fields=body.fields()), _read)


@router.get("/{applicant_id}", response_model=ApplicantRead)
async def get(applicant_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> ApplicantRead:
    return _read(await applicants.get_applicant(uow, actor=actor, applicant_id=applicant_id))


@router.patch("/{applicant_id}", response_model=ApplicantRead)
async def update(applicant_id: uuid.UUID, body: ApplicantUpdate, uow: Uow, actor: SignedIn) -> ApplicantRead:
    return _read(await applicants.update_applicant(uow, actor=actor, applicant_id=applicant_id, changes=body.fields()))


@router.post("/{applicant_id}/deactivate", response_model=ApplicantRead)
async def deactivate(applicant_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """No more applying or booking; the record stays. A retry with the same key gets the first answer."""
    return await idem.run(
        uow, lambda: applicants.set_applicant_active(uow, actor=actor, applicant_id=applicant_id, active=False), _read
    )


@router.post("/{applicant_id}/reactivate", response_model=ApplicantRead)
async def reactivate(applicant_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    return await idem.run(
        uow, lambda: applicants.set_applicant_active(uow, actor=actor, applicant_id=applicant_id, active=True), _read
    )

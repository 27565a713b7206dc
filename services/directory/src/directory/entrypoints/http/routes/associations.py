"""/associations: applicants (registered associations, groups, private persons)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import ApplicantCreate, ApplicantRead, ApplicantUpdate
from directory.service_layer import applicants
from shared.auth import Principal
from shared.contracts.directory import ApplicantKind
from shared.db.uow import UnitOfWork
from shared.http.idempotency import IdempotencyKey, create_idempotently
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, SignedIn, Staff

router = APIRouter(prefix="/associations", tags=["associations"])


def _read(a: object) -> ApplicantRead:
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
    async with uow:
        items, total = await applicants.search_applicants(
            uow, actor=actor, q=q, kind=kind, field=field, district=district, language=language,
            include_inactive=include_inactive, limit=paging.limit, offset=paging.offset,
        )  # fmt: skip
    return Page(items=[_read(a) for a in items], total=total, limit=paging.limit, offset=paging.offset)


@router.post("", status_code=201, response_model=ApplicantRead)
async def register(
    body: ApplicantCreate, uow: Uow, actor: Staff, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    async def create(u: UnitOfWork) -> tuple[ApplicantRead, uuid.UUID]:
        applicant = await applicants.register_applicant(u, actor=actor, fields=body.fields())
        return _read(applicant), applicant.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create)


@router.get("/{applicant_id}", response_model=ApplicantRead)
async def get(applicant_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> ApplicantRead:
    async with uow:
        return _read(await applicants.get_applicant(uow, actor=actor, applicant_id=applicant_id))


@router.patch("/{applicant_id}", response_model=ApplicantRead)
async def update(applicant_id: uuid.UUID, body: ApplicantUpdate, uow: Uow, actor: SignedIn) -> ApplicantRead:
    async with uow:
        applicant = await applicants.update_applicant(
            uow, actor=actor, applicant_id=applicant_id, changes=body.fields()
        )
        await uow.commit()
    return _read(applicant)


async def _set_active(uow: UnitOfWork, actor: Principal, applicant_id: uuid.UUID, active: bool) -> ApplicantRead:
    async with uow:
        applicant = await applicants.set_applicant_active(uow, actor=actor, applicant_id=applicant_id, active=active)
        await uow.commit()
    return _read(applicant)


@router.post("/{applicant_id}/deactivate", response_model=ApplicantRead)
async def deactivate(applicant_id: uuid.UUID, uow: Uow, actor: Staff) -> ApplicantRead:
    return await _set_active(uow, actor, applicant_id, active=False)


@router.post("/{applicant_id}/reactivate", response_model=ApplicantRead)
async def reactivate(applicant_id: uuid.UUID, uow: Uow, actor: Staff) -> ApplicantRead:
    return await _set_active(uow, actor, applicant_id, active=True)

"""/cooperation-group/members: the cooperation group's organisations; city staff keep them, everyone reads them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StringConstraints

from calendar_service.domain.cooperation_group import Member, MemberKind
from calendar_service.entrypoints.http.deps import Uow
from calendar_service.service_layer import cooperation_group
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.schemas import MISSING, NOT_BLANK, Choice, RequestModel, Uuid
from shared.http.security import CurrentPrincipal, Staff

router = APIRouter(tags=["cooperation group"])
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]


class MemberCreate(RequestModel):
    organisation: Name
    kind: Choice[MemberKind]
    role_fi: Name = Field(description="The organisation's role in the group, in Finnish (e.g. 'puheenjohtaja').")
    representative: Name | None = Field(default=None, description="A name only, as staff type it in.")
    directory_id: Uuid | None = Field(default=None, description="An association's id in the directory.")


class MemberUpdate(RequestModel):
    organisation: Name | MISSING = MISSING
    kind: Choice[MemberKind] | MISSING = MISSING
    role_fi: Name | MISSING = MISSING
    representative: Name | None = None
    directory_id: Uuid | None = None
    active: bool | MISSING = MISSING


class MemberRead(BaseModel):
    id: uuid.UUID
    organisation: str
    kind: MemberKind
    cooperation_partner: bool
    role_fi: str
    representative: str | None
    directory_id: uuid.UUID | None
    active: bool


def _read(member: Member) -> MemberRead:
    fields = {name: getattr(member, name) for name in MemberRead.model_fields}
    return MemberRead.model_validate(fields)


@router.post("/cooperation-group/members", status_code=201, response_model=MemberRead)
async def create(body: MemberCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    fields = body.model_dump()
    return await idem.created(uow, lambda: cooperation_group.add_member(uow, actor=actor, fields=fields), _read)


@router.get("/cooperation-group/members", response_model=Page[MemberRead])
async def search(uow: Uow, actor: CurrentPrincipal, paging: Paging, include_inactive: bool = False) -> Page[MemberRead]:
    items, total = await cooperation_group.search_members(
        uow, actor=actor, include_inactive=include_inactive, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[_read(m) for m in items], total=total, limit=paging.limit, offset=paging.offset)


@router.patch("/cooperation-group/members/{member_id}", response_model=MemberRead)
async def update(member_id: uuid.UUID, body: MemberUpdate, uow: Uow, actor: Staff) -> MemberRead:
    changes = body.fields()
    return _read(await cooperation_group.update_member(uow, actor=actor, member_id=member_id, changes=changes))

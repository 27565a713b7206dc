"""/clock: the annual clock's entries; everyone reads them, the responsible department's staff keep them."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from calendar_service.domain.annual_clock import Category, ClockEntry
from calendar_service.entrypoints.http.deps import Uow
from calendar_service.entrypoints.http.schemas import ClockEntryCreate, ClockEntryRead, ClockEntryUpdate
from calendar_service.service_layer import annual_clock
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, Staff

router = APIRouter(tags=["annual clock"])


def _read(entry: ClockEntry) -> ClockEntryRead:
    fields = {name: getattr(entry, name) for name in ClockEntryRead.model_fields if name != "when_fi"}
    return ClockEntryRead.model_validate(fields | {"when_fi": entry.rule.describe_fi()})


@router.post("/clock/entries", status_code=201, response_model=ClockEntryRead)
async def create(body: ClockEntryCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    fields = body.model_dump()  # with the defaults: a new record has every field
    return await idem.created(uow, lambda: annual_clock.create_entry(uow, actor=actor, fields=fields), _read)


@router.get("/clock/entries", response_model=Page[ClockEntryRead])
async def search(
    uow: Uow, actor: CurrentPrincipal, paging: Paging, category: Category | None = None, include_inactive: bool = False
) -> Page[ClockEntryRead]:
    items, total = await annual_clock.search_entries(
        uow, actor=actor, category=category, include_inactive=include_inactive, limit=paging.limit,
        offset=paging.offset,
    )  # fmt: skip
    return Page(items=[_read(e) for e in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/clock/entries/{entry_id}", response_model=ClockEntryRead)
async def get(entry_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> ClockEntryRead:
    return _read(await annual_clock.get_entry(uow, actor=actor, entry_id=entry_id))


@router.patch("/clock/entries/{entry_id}", response_model=ClockEntryRead)
async def update(entry_id: uuid.UUID, body: ClockEntryUpdate, uow: Uow, actor: Staff) -> ClockEntryRead:
    return _read(await annual_clock.update_entry(uow, actor=actor, entry_id=entry_id, changes=body.fields()))

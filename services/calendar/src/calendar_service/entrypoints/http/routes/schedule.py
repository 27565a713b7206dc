"""/schedule: the detailed schedule of a year, public; an association's own deadlines for its representatives."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from calendar_service.domain.annual_clock import Category
from calendar_service.entrypoints.http.deps import Uow
from calendar_service.entrypoints.http.schemas import Generated, GenerateSchedule, ScheduleEntryRead
from calendar_service.service_layer import schedule
from calendar_service.service_layer.schedule import ShownEntry
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.schemas import IsoDate
from shared.http.security import CurrentPrincipal, Staff

router = APIRouter(tags=["schedule"])
FROM = "Only entries lasting until this date or later."


def read_entry(shown: ShownEntry) -> ScheduleEntryRead:
    return ScheduleEntryRead.model_validate(shown.entry, from_attributes=True).model_copy(
        update={"title_fi": shown.title_fi}
    )


@router.get("/schedule", response_model=Page[ScheduleEntryRead])
async def search(
    uow: Uow,
    actor: CurrentPrincipal,
    paging: Paging,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    category: Category | None = None,
    from_date: Annotated[
        IsoDate | None, Query(alias="from", description="Entries lasting until this date or later.")
    ] = None,
) -> Page[ScheduleEntryRead]:
    items, total = await schedule.search_schedule(
        uow, actor=actor, year=year, category=category, from_date=from_date, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[read_entry(e) for e in items], total=total, limit=paging.limit, offset=paging.offset)


@router.post("/schedule/generate", response_model=Generated)
async def generate(body: GenerateSchedule, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Put the annual clock's entries on a year's schedule now (the worker also does it by itself)."""
    year = body.year

    async def run() -> Generated:
        return Generated(year=year, written=await schedule.generate_schedule(uow, actor=actor, year=year))

    return await idem.run(uow, run, lambda generated: generated)

"""/facilities: the city's premises, their opening exceptions and availability; free use by department."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from bookings.domain.facility import Facility, FreeUseGrant
from bookings.domain.opening import OpeningException
from bookings.entrypoints.http.deps import Uow
from bookings.entrypoints.http.schemas import (
    AvailabilityRead,
    DayRead,
    FacilityCreate,
    FacilityRead,
    FacilityUpdate,
    FreeRead,
    FreeUseCreate,
    FreeUseRead,
    HoursRead,
    OpeningExceptionCreate,
    OpeningExceptionRead,
    PricingRead,
    RulesRead,
    TakenRead,
)
from bookings.service_layer import facilities
from bookings.service_layer.availability import DayAvailability, Period, availability
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, Staff

router = APIRouter(tags=["facilities"])


def facility_read(f: Facility) -> FacilityRead:
    return FacilityRead(
        id=f.id,
        name=f.name,
        department_code=f.department_code,
        address=f.address,
        capacity=f.capacity,
        contact_id=f.contact_id,
        accessibility=f.accessibility,
        equipment=f.equipment,
        purposes=f.purposes,
        rules=RulesRead(**dataclasses.asdict(f.rules)),
        pricing=PricingRead(
            hourly_cents=f.pricing.hourly_cents,
            hourly_cents_by_kind=f.pricing.hourly_cents_by_kind,
            free_for_kinds=sorted(f.pricing.free_for_kinds),
        ),
        weekly_hours={
            d: HoursRead(opens=h.opens.isoformat("minutes"), closes=h.closes.isoformat("minutes"))
            for d, h in f.weekly_hours.items()
        },
        closed_on_holidays=f.closed_on_holidays,
    )


def _exception(e: OpeningException) -> OpeningExceptionRead:
    return OpeningExceptionRead(
        id=e.id,
        facility_id=e.facility_id,
        day=e.day,
        reason=e.reason,
        opens=e.opens.isoformat("minutes") if e.opens else None,
        closes=e.closes.isoformat("minutes") if e.closes else None,
    )


def _grant(g: FreeUseGrant) -> FreeUseRead:
    return FreeUseRead.model_validate(g, from_attributes=True)


def _day(d: DayAvailability) -> DayRead:
    return DayRead(
        day=d.day,
        opens_at=d.opens_at,
        closes_at=d.closes_at,
        closed_because=d.closed_because,
        free=[FreeRead(starts_at=s, ends_at=e) for s, e in d.free],
        taken=[
            TakenRead(
                starts_at=t.starts_at,
                ends_at=t.ends_at,
                kind=t.kind,
                state=t.state,
                own=t.own,
                booking_id=t.booking_id,
                applicant_id=t.applicant_id,
            )
            for t in d.taken
        ],
    )


@router.post("/facilities", status_code=201, response_model=FacilityRead)
async def register(body: FacilityCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Staff register a facility of their own department (the department known from the directory)."""
    fields = body.fields()
    return await idem.created(uow, lambda: facilities.register_facility(uow, actor=actor, fields=fields), facility_read)


@router.get("/facilities", response_model=Page[FacilityRead])
async def list_(
    uow: Uow,
    paging: Paging,
    department_code: Annotated[str | None, Query(max_length=60)] = None,
) -> Page[FacilityRead]:
    items, total = await facilities.list_facilities(
        uow, department_code=department_code, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[facility_read(f) for f in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/facilities/{facility_id}", response_model=FacilityRead)
async def get(facility_id: uuid.UUID, uow: Uow) -> FacilityRead:
    return facility_read(await facilities.get_facility(uow, facility_id=facility_id))


@router.patch("/facilities/{facility_id}", response_model=FacilityRead)
async def update(
    facility_id: uuid.UUID, body: FacilityUpdate, uow: Uow, actor: Staff, idem: Idempotent
) -> JSONResponse:
    """The managing department changes the description, rules, price or weekly hours; what is left out stays.
    Bookings already made keep their slot and their recorded price."""
    changes = body.fields()
    return await idem.run(
        uow,
        lambda: facilities.update_facility(uow, actor=actor, facility_id=facility_id, changes=changes),
        facility_read,
    )


@router.post("/facilities/{facility_id}/exceptions", status_code=201, response_model=OpeningExceptionRead)
async def add_exception(
    facility_id: uuid.UUID, body: OpeningExceptionCreate, uow: Uow, actor: Staff, idem: Idempotent
) -> JSONResponse:
    """A closure (no times) or other hours on one date."""
    return await idem.created(
        uow,
        lambda: facilities.add_opening_exception(
            uow,
            actor=actor,
            facility_id=facility_id,
            day=body.day,
            opens=body.opens,
            closes=body.closes,
            reason=body.reason,
        ),
        _exception,
    )


@router.post("/departments/{department_code}/free-use", status_code=201, response_model=FreeUseRead)
async def grant_free_use(
    department_code: Annotated[str, Path(max_length=60)],
    body: FreeUseCreate,
    uow: Uow,
    actor: Staff,
    idem: Idempotent,
) -> JSONResponse:
    """The department grants an association free use of its premises."""
    fields = body.model_dump()
    return await idem.created(
        uow, lambda: facilities.grant_free_use(uow, actor=actor, department_code=department_code, fields=fields), _grant
    )


@router.get("/facilities/{facility_id}/availability", response_model=AvailabilityRead)
async def get_availability(
    facility_id: uuid.UUID,
    uow: Uow,
    actor: CurrentPrincipal,
    start: Annotated[date, Query(alias="from", description="A day of the period (local date).")],
    period: Period = Period.WEEK,
) -> AvailabilityRead:
    """Free and taken time; who booked is shown to the managing staff, and to the booker its own."""
    days = await availability(uow, actor=actor, facility_id=facility_id, start=start, period=period)
    return AvailabilityRead(facility_id=facility_id, days=[_day(d) for d in days])

"""/bookings: request (one slot or a weekly season), quote first, decide, cancel; /blocks for staff."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bookings.entrypoints.http.deps import Uow
from bookings.entrypoints.http.schemas import (
    BlockCreate,
    BookingCreate,
    BookingRead,
    OccurrenceRead,
    PlannedRead,
    QuoteRead,
    ReasonIn,
    SlotIn,
)
from bookings.service_layer import decisions, requests
from bookings.service_layer.planning import Plan
from bookings.service_layer.requests import BookingView, SlotRequest
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import SignedIn, Staff

router = APIRouter(tags=["bookings"])


def booking_read(view: BookingView) -> BookingRead:
    b = view.booking
    return BookingRead(
        id=b.id,
        facility_id=b.facility_id,
        department_code=b.department_code,
        kind=b.kind.value,
        state=b.state.value,
        applicant_id=b.applicant_id,
        hourly_cents=b.hourly_cents,
        free_use_reason=b.free_use_reason.value if b.free_use_reason else None,
        price_cents=view.price_cents,
        purpose=b.purpose,
        first_day=b.first_day,
        last_day=b.last_day,
        skipped_days=b.skipped_days,
        decision_reason=b.decision_reason,
        cancel_reason=b.cancel_reason,
        occurrences=[OccurrenceRead.model_validate(o, from_attributes=True) for o in view.occurrences],
    )


def _quote(plan: Plan) -> QuoteRead:
    return QuoteRead(
        facility_id=plan.facility.id,
        hourly_cents=plan.hourly_cents,
        free_use_reason=plan.free_use_reason.value if plan.free_use_reason else None,
        price_cents=plan.price_cents,
        terms=plan.facility.rules.terms,
        needs_approval=plan.facility.rules.needs_approval,
        occurrences=[
            PlannedRead(
                day=o.day,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                price_cents=o.price_cents,
                bookable=o.bookable,
                skipped=o.skipped,
                problem=o.problem,
            )
            for o in plan.occurrences
        ],
    )


def _slot(body: SlotIn) -> SlotRequest:
    return SlotRequest(
        facility_id=body.facility_id,
        applicant_id=body.applicant_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        repeat_until=body.repeat_until,
        skip_days=frozenset(body.skip_days),
    )


@router.post("/quotes", response_model=QuoteRead)
async def quote(body: SlotIn, uow: Uow, actor: SignedIn) -> QuoteRead:
    """The price and every occurrence's availability (closures and clashes one by one), before booking.
    Nothing is written, so it needs no idempotency key."""
    return _quote(await requests.quote_booking(uow, actor=actor, slot=_slot(body)))


@router.post("/bookings", status_code=201, response_model=BookingRead)
async def request(body: BookingCreate, uow: Uow, actor: SignedIn, idem: Idempotent) -> JSONResponse:
    """A representative books for its association; the managing department's staff on its behalf. Confirmed
    at once where the facility needs no approval. A clash with another booking is a 409 naming the slot."""
    slot = _slot(body)
    return await idem.created(
        uow,
        lambda: requests.request_booking(
            uow, actor=actor, slot=slot, accepts_terms=body.accepts_terms, purpose=body.purpose
        ),
        booking_read,
    )


@router.post("/blocks", status_code=201, response_model=BookingRead)
async def block(body: BlockCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Staff take time for maintenance or the city's own use; it holds the facility like a booking."""
    return await idem.created(
        uow,
        lambda: requests.block_time(
            uow,
            actor=actor,
            facility_id=body.facility_id,
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            reason=body.reason,
        ),
        booking_read,
    )


@router.get("/bookings", response_model=Page[BookingRead])
async def list_(uow: Uow, actor: SignedIn, paging: Paging, facility_id: uuid.UUID | None = None) -> Page[BookingRead]:
    items, total = await decisions.list_bookings(
        uow, actor=actor, facility_id=facility_id, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[booking_read(v) for v in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/bookings/{booking_id}", response_model=BookingRead)
async def get(booking_id: uuid.UUID, uow: Uow, actor: SignedIn) -> BookingRead:
    return booking_read(await decisions.get_booking(uow, actor=actor, booking_id=booking_id))


@router.post("/bookings/{booking_id}/confirm", response_model=BookingRead)
async def confirm(booking_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    return await idem.run(uow, lambda: decisions.confirm(uow, actor=actor, booking_id=booking_id), booking_read)


@router.post("/bookings/{booking_id}/reject", response_model=BookingRead)
async def reject(booking_id: uuid.UUID, body: ReasonIn, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    return await idem.run(
        uow, lambda: decisions.reject(uow, actor=actor, booking_id=booking_id, reason=body.reason), booking_read
    )


@router.post("/bookings/{booking_id}/cancel", response_model=BookingRead)
async def cancel(booking_id: uuid.UUID, body: ReasonIn, uow: Uow, actor: SignedIn, idem: Idempotent) -> JSONResponse:
    """The booker or the managing staff cancel the whole booking (a series as one unit)."""
    return await idem.run(
        uow, lambda: decisions.cancel(uow, actor=actor, booking_id=booking_id, reason=body.reason), booking_read
    )


@router.post("/bookings/{booking_id}/occurrences/{occurrence_id}/cancel", response_model=BookingRead)
async def cancel_occurrence(
    booking_id: uuid.UUID, occurrence_id: uuid.UUID, body: ReasonIn, uow: Uow, actor: SignedIn, idem: Idempotent
) -> JSONResponse:
    """One occurrence of a confirmed series; the rest of the season stays booked."""
    return await idem.run(
        uow,
        lambda: decisions.cancel_occurrence(
            uow, actor=actor, booking_id=booking_id, occurrence_id=occurrence_id, reason=body.reason
        ),
        booking_read,
    )

"""Requesting a booking (one slot or a weekly season), quoting it first, and staff blocks.

The plan is checked in Python for a clear answer (which occurrence falls on a closure, which clashes), but the
guarantee is the database's: the occurrences are inserted under the exclusion constraint, so of requests that
race for one slot exactly one gets it and the others are refused with 409, with nothing written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from bookings.domain.booking import Booking, BookingKind, BookingState, Occurrence
from bookings.domain.facility import Facility
from bookings.service_layer import events
from bookings.service_layer.access import ensure_manages, ensure_may_book_for
from bookings.service_layer.planning import Plan, make_plan
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.errors import Conflict, InvalidInput
from shared.localtime import as_local


@dataclass(frozen=True)
class BookingView:
    booking: Booking
    occurrences: list[Occurrence]

    @property
    def price_cents(self) -> int:
        return sum(o.price_cents for o in self.occurrences if o.active or o.late_cancellation)


@dataclass(frozen=True)
class SlotRequest:
    facility_id: uuid.UUID
    applicant_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    repeat_until: date | None = None
    skip_days: frozenset[date] = frozenset()


async def _facility(uow: BookingsUnitOfWork, facility_id: uuid.UUID) -> Facility:
    facility = await uow.facilities.get(facility_id)
    if facility is None or not facility.active:
        raise InvalidInput("No such facility.", field="facility_id")
    return facility


async def _plan(uow: BookingsUnitOfWork, actor: Principal, slot: SlotRequest, facility: Facility | None = None) -> Plan:
    facility = facility or await _facility(uow, slot.facility_id)
    ensure_may_book_for(actor, facility, slot.applicant_id)
    applicant = await uow.applicants.get(slot.applicant_id)
    if applicant is None or not applicant.may_book:
        raise InvalidInput("No such active association in the directory.", field="applicant_id")
    return await make_plan(
        uow,
        facility=facility,
        applicant=applicant,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        repeat_until=slot.repeat_until,
        skip_days=slot.skip_days,
        now=uow.clock(),
    )


async def quote_booking(uow: BookingsUnitOfWork, *, actor: Principal, slot: SlotRequest) -> Plan:
    """The price and each occurrence's availability, before anything is requested."""
    async with uow:
        return await _plan(uow, actor, slot)


async def request_booking(
    uow: BookingsUnitOfWork, *, actor: Principal, slot: SlotRequest, accepts_terms: bool, purpose: str | None
) -> BookingView:
    now = uow.clock()
    async with uow:
        facility = await _facility(uow, slot.facility_id)
        if facility.rules.weekly_quota_minutes is not None:  # only a quota needs the association's turn
            await uow.bookings.lock_quota(slot.facility_id, slot.applicant_id)
        plan = await _plan(uow, actor, slot, facility)
        if facility.rules.terms and not accepts_terms:
            raise InvalidInput("The facility's terms of use must be accepted.", field="accepts_terms")
        _refuse_problems(plan)
        if not any(o.bookable for o in plan.occurrences):
            raise InvalidInput("Every occurrence of the series is skipped.", field="skip_days")
        state = BookingState.REQUESTED if facility.rules.needs_approval else BookingState.CONFIRMED
        booking = Booking(
            id=uuid.uuid4(),
            facility_id=facility.id,
            department_code=facility.department_code,
            kind=BookingKind.SERIES if plan.series else BookingKind.SINGLE,
            state=state,
            applicant_id=slot.applicant_id,
            applicant_kind=plan.booker_kind,
            hourly_cents=plan.hourly_cents,
            free_use_reason=plan.free_use_reason,
            requested_by=actor.subject,
            purpose=purpose,
            terms_accepted_at=now if accepts_terms else None,
            decided_at=None if facility.rules.needs_approval else now,
        )
        if plan.series:
            local_start, local_end = as_local(slot.starts_at), as_local(slot.ends_at)
            booking.local_starts, booking.local_ends = local_start.time(), local_end.time()
            booking.first_day, booking.last_day = plan.occurrences[0].day, plan.occurrences[-1].day
            booking.skipped_days = sorted(slot.skip_days)
        occurrences = plan.occurrences_of(booking.id)
        await uow.bookings.add(booking)
        await uow.occurrences.add_all(occurrences, recoverable=False)  # any error ends this transaction
        if state is BookingState.CONFIRMED:
            uow.emit(events.confirmed(booking, occurrences))
        else:
            uow.emit(events.requested(booking, occurrences))
        await uow.commit()
    return BookingView(booking, occurrences)


def _refuse_problems(plan: Plan) -> None:
    problems = plan.problems
    if not problems:
        return
    if not plan.series:
        problem = problems[0]
        if problem.taken:
            raise Conflict(f"The facility is {problem.problem}.", field="starts_at")
        raise InvalidInput(f"This slot cannot be booked: {problem.problem}.", field="starts_at")
    listed = "; ".join(f"{p.day.isoformat()}: {p.problem}" for p in problems)
    raise Conflict(
        f"{len(problems)} occurrences of the series cannot be booked ({listed}). Leave them out (skip_days) "
        "or change the series.",
        field="skip_days",
    )


async def block_time(
    uow: BookingsUnitOfWork,
    *,
    actor: Principal,
    facility_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
) -> BookingView:
    """Staff take the time for maintenance or the city's own use; it holds the facility like a booking."""
    if ends_at <= starts_at:
        raise InvalidInput("A block ends after it starts.", field="ends_at")
    now = uow.clock()
    async with uow:
        facility = await _facility(uow, facility_id)
        ensure_manages(actor, facility)
        booking = Booking(
            id=uuid.uuid4(),
            facility_id=facility.id,
            department_code=facility.department_code,
            kind=BookingKind.BLOCK,
            state=BookingState.CONFIRMED,
            applicant_id=None,
            applicant_kind=None,
            hourly_cents=0,
            free_use_reason=None,
            requested_by=actor.subject,
            purpose=reason,
            decided_at=now,
        )
        occurrence = Occurrence(
            id=uuid.uuid4(),
            booking_id=booking.id,
            facility_id=facility.id,
            starts_at=starts_at,
            ends_at=ends_at,
            blocked_until=ends_at + facility.rules.buffer,
            price_cents=0,
        )
        await uow.bookings.add(booking)
        await uow.occurrences.add_all([occurrence], recoverable=False)
        uow.emit(events.confirmed(booking, [occurrence]))
        await uow.commit()
    return BookingView(booking, [occurrence])

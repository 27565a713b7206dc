"""What happens to a booking after it is requested: staff confirm or reject it; booker or staff cancel it.

A series is decided and cancelled as one unit (one event); one occurrence of a confirmed series can also be
cancelled on its own. Cancelling is always possible while the booking is active; the cancellation rule decides
the money: a booker cancelling later than "free until N days before" is still charged for that occurrence, and
an occurrence that has already begun when the whole confirmed booking is cancelled is charged whoever cancels (it took
place). Staff cancelling one occurrence on its own are never charged: that is how a used date is waived.
"""

from __future__ import annotations

import uuid

from bookings.domain.booking import Booking, BookingKind, BookingState, Occurrence
from bookings.service_layer import events
from bookings.service_layer.access import ensure_sees, manages
from bookings.service_layer.requests import BookingView
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal, Role
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound


async def _load(uow: BookingsUnitOfWork, actor: Principal, booking_id: uuid.UUID) -> Booking:
    return ensure_sees(actor, await uow.bookings.get(booking_id, for_update=True))


def _ensure_decides(actor: Principal, booking: Booking) -> None:
    if not manages(actor, booking.department_code):
        raise Forbidden("Only the managing department's staff decide bookings.")


async def confirm(uow: BookingsUnitOfWork, *, actor: Principal, booking_id: uuid.UUID) -> BookingView:
    async with uow:
        booking = await _load(uow, actor, booking_id)
        _ensure_decides(actor, booking)
        booking.confirm(uow.clock())
        await uow.bookings.save(booking)
        occurrences = await uow.occurrences.of_booking(booking.id)
        uow.emit(events.confirmed(booking, [o for o in occurrences if o.active]))
        await uow.commit()
    return BookingView(booking, occurrences)


async def reject(uow: BookingsUnitOfWork, *, actor: Principal, booking_id: uuid.UUID, reason: str) -> BookingView:
    async with uow:
        booking = await _load(uow, actor, booking_id)
        _ensure_decides(actor, booking)
        booking.reject(uow.clock(), reason)
        await uow.bookings.save(booking)
        occurrences = await uow.occurrences.of_booking(booking.id)
        await uow.occurrences.deactivate(booking.id)
        uow.emit(events.rejected(booking, occurrences))
        await uow.commit()
    return BookingView(booking, [_inactive(o) for o in occurrences])


async def cancel(uow: BookingsUnitOfWork, *, actor: Principal, booking_id: uuid.UUID, reason: str) -> BookingView:
    now = uow.clock()
    async with uow:
        booking = await _load(uow, actor, booking_id)
        facility = await uow.facilities.get(booking.facility_id)
        assert facility is not None
        confirmed = booking.state is BookingState.CONFIRMED
        booking.cancel(now, reason)
        await uow.bookings.save(booking)
        by_staff = manages(actor, booking.department_code)
        occurrences = await uow.occurrences.of_booking(booking.id)
        cancelled = []
        for o in occurrences:
            if not o.active:
                continue
            o.active, o.cancelled_at = False, now
            # Only a confirmed booking is ever charged: the weeks used stay so, and the booker's late cancellation
            # of the rest. A request withdrawn before the department decided costs nothing, whenever it is.
            took_place = o.starts_at <= now
            late = not by_staff and not facility.rules.cancellation_is_free(o.starts_at, now)
            o.late_cancellation = confirmed and (took_place or late)
            await uow.occurrences.save(o)
            cancelled.append(o)
        uow.emit(events.cancelled(booking, cancelled, whole=True))
        await uow.commit()
    return BookingView(booking, occurrences)


async def cancel_occurrence(
    uow: BookingsUnitOfWork, *, actor: Principal, booking_id: uuid.UUID, occurrence_id: uuid.UUID, reason: str
) -> BookingView:
    now = uow.clock()
    async with uow:
        booking = await _load(uow, actor, booking_id)
        booking.ensure_series_occurrence_cancellable()
        if not reason.strip():
            raise InvalidInput("A cancellation gives its reason.", field="reason")
        facility = await uow.facilities.get(booking.facility_id)
        assert facility is not None
        occurrences = await uow.occurrences.of_booking(booking.id)
        target = next((o for o in occurrences if o.id == occurrence_id), None)
        if target is None:
            raise NotFound("No such occurrence of this booking.")
        if not target.active:
            raise Conflict("This occurrence is already cancelled.", field="occurrence_id")
        target.active, target.cancelled_at = False, now
        by_staff = manages(actor, booking.department_code)
        target.late_cancellation = not by_staff and not facility.rules.cancellation_is_free(target.starts_at, now)
        await uow.occurrences.save(target)
        if not any(o.active for o in occurrences):
            booking.cancel(now, reason)
        await uow.bookings.save(booking)
        uow.emit(
            events.cancelled(booking, [target], whole=booking.kind is not BookingKind.SERIES or not booking.active)
        )
        await uow.commit()
    return BookingView(booking, occurrences)


def _inactive(o: Occurrence) -> Occurrence:
    o.active = False
    return o


async def get_booking(uow: BookingsUnitOfWork, *, actor: Principal, booking_id: uuid.UUID) -> BookingView:
    async with uow.reading():
        booking = ensure_sees(actor, await uow.bookings.get(booking_id))
        return BookingView(booking, await uow.occurrences.of_booking(booking.id))


async def list_bookings(
    uow: BookingsUnitOfWork,
    *,
    actor: Principal,
    facility_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> tuple[list[BookingView], int]:
    """Staff see their department's bookings; a representative its associations'; admins everything."""
    department_code: str | None = None
    applicant_ids: set[uuid.UUID] | None = None
    if actor.role is Role.ASSOCIATION:
        applicant_ids = set(actor.association_ids)
    elif actor.role is Role.STAFF:
        department_code = actor.department or ""
    elif actor.role is not Role.ADMIN:
        raise Forbidden("Sign in to see bookings.")
    async with uow:
        found, total = await uow.bookings.search(
            facility_id=facility_id,
            department_code=department_code,
            applicant_ids=applicant_ids,
            limit=limit,
            offset=offset,
        )
        by_booking = await uow.occurrences.of_bookings({b.id for b in found})
    return [BookingView(b, by_booking[b.id]) for b in found], total

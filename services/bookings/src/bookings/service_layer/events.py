"""Integration events of a booking, mapped in one place: the booking as one unit with its occurrences."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from bookings.domain.booking import Booking, Occurrence
from shared.contracts.bookings import (
    BookedSlot,
    BookingCancelled,
    BookingConfirmed,
    BookingRejected,
    BookingRequested,
)

_Facts = BookingRequested | BookingConfirmed | BookingRejected


def _facts(booking: Booking, occurrences: Sequence[Occurrence]) -> dict[str, object]:
    return {
        "booking_id": booking.id,
        "facility_id": booking.facility_id,
        "department_code": booking.department_code,
        "applicant_id": booking.applicant_id,
        "kind": booking.kind.value,
        "occurrences": [BookedSlot(occurrence_id=o.id, starts_at=o.starts_at, ends_at=o.ends_at) for o in occurrences],
        "price_cents": sum(o.price_cents for o in occurrences),
        "free_use_reason": booking.free_use_reason.value if booking.free_use_reason else None,
    }


def requested(booking: Booking, occurrences: Sequence[Occurrence]) -> BookingRequested:
    return BookingRequested(**_facts(booking, occurrences))


def confirmed(
    booking: Booking, occurrences: Sequence[Occurrence], *, season_round_id: uuid.UUID | None = None
) -> BookingConfirmed:
    """``season_round_id``: the seasonal round whose published allocation made the series."""
    return BookingConfirmed(**_facts(booking, occurrences), season_round_id=season_round_id)


def rejected(booking: Booking, occurrences: Sequence[Occurrence]) -> BookingRejected:
    return BookingRejected(**_facts(booking, occurrences))


def cancelled(booking: Booking, occurrences: Sequence[Occurrence], *, whole: bool) -> BookingCancelled:
    return BookingCancelled(**_facts(booking, occurrences), whole=whole)

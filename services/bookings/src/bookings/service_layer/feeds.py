"""A facility's public calendar feed: the time its bookings take, without who booked it or why."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from bookings.domain.booking import Booking, Occurrence
from bookings.domain.facility import Facility
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.errors import NotFound

# A feed shows what is coming and the last few weeks; a calendar app keeps what it has seen before.
FEED_HISTORY = timedelta(days=42)
FEED_MAX_BOOKINGS = 2000


@dataclass(frozen=True)
class FeedBooking:
    booking: Booking
    occurrences: list[Occurrence]  # all of them, active or not: a series' gaps become its exceptions


@dataclass(frozen=True)
class FacilityFeed:
    facility: Facility
    bookings: list[FeedBooking]


async def facility_feed(uow: BookingsUnitOfWork, *, facility_id: uuid.UUID, now: datetime) -> FacilityFeed:
    async with uow:
        facility = await uow.facilities.get(facility_id)
        if facility is None or not facility.active:
            raise NotFound("No such facility.")
        found = await uow.bookings.active_of_facility(facility_id, now - FEED_HISTORY, limit=FEED_MAX_BOOKINGS)
        occurrences = await uow.occurrences.of_bookings({b.id for b in found})
    return FacilityFeed(facility, [FeedBooking(b, occurrences[b.id]) for b in found])

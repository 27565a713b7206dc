"""Calendar feeds of bookings: a facility's public one (the time taken, without who or why), and an
association's private one behind a signed link that its representatives make and revoke."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from bookings.domain.booking import Booking, Occurrence
from bookings.domain.feed import CalendarFeed, feed_id_of
from bookings.service_layer.access import represents
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.errors import Forbidden, NotFound

# A feed shows what is coming and the last few weeks; a calendar app keeps what it has seen before.
FEED_HISTORY = timedelta(days=42)
FEED_MAX_BOOKINGS = 2000


@dataclass(frozen=True)
class FeedBooking:
    booking: Booking
    occurrences: list[Occurrence]  # all of them, active or not: a series' gaps become its exceptions
    facility_name: str


@dataclass(frozen=True)
class Feed:
    name: str
    bookings: list[FeedBooking]


async def facility_feed(uow: BookingsUnitOfWork, *, facility_id: uuid.UUID, now: datetime) -> Feed:
    async with uow:
        facility = await uow.facilities.get(facility_id)
        if facility is None or not facility.active:
            raise NotFound("No such facility.")
        found = await uow.bookings.current(now - FEED_HISTORY, facility_id=facility_id, limit=FEED_MAX_BOOKINGS)
        return Feed(f"{facility.name}: varaukset", await _with_occurrences(uow, found))


async def association_feed(uow: BookingsUnitOfWork, *, token: str, secret: str, now: datetime) -> Feed:
    """The bookings of the association a genuine, unrevoked link names; any other link is answered as missing."""
    feed_id = feed_id_of(token, secret)
    async with uow:
        feed = await uow.feeds.get(feed_id) if feed_id is not None else None
        if feed is None or feed.revoked_at is not None:
            raise NotFound("No such feed.")
        found = await uow.bookings.current(now - FEED_HISTORY, applicant_id=feed.applicant_id, limit=FEED_MAX_BOOKINGS)
        return Feed("Yhdistyksen tilavaraukset", await _with_occurrences(uow, found))


async def create_feed(uow: BookingsUnitOfWork, *, actor: Principal, applicant_id: uuid.UUID) -> CalendarFeed:
    """A new private link for the association; each link is revoked on its own."""
    if not represents(actor, applicant_id):
        raise Forbidden("Only the association's representatives make its feed links.")
    async with uow:
        feed = CalendarFeed(id=uuid.uuid4(), applicant_id=applicant_id, created_by=actor.subject)
        await uow.feeds.add(feed)
        await uow.commit()
    return feed


async def revoke_feed(uow: BookingsUnitOfWork, *, actor: Principal, feed_id: uuid.UUID, now: datetime) -> CalendarFeed:
    """The link stops working at once; revoking twice changes nothing."""
    async with uow:
        feed = await uow.feeds.get(feed_id, for_update=True)
        if feed is None or not represents(actor, feed.applicant_id):
            raise NotFound("No such feed.")
        if feed.revoked_at is None:
            feed.revoked_at = now
            await uow.feeds.save(feed)
        await uow.commit()
    return feed


async def _with_occurrences(uow: BookingsUnitOfWork, found: list[Booking]) -> list[FeedBooking]:
    occurrences = await uow.occurrences.of_bookings({b.id for b in found})
    facilities = await uow.facilities.by_ids({b.facility_id for b in found})
    return [
        FeedBooking(b, occurrences[b.id], facilities[b.facility_id].name if b.facility_id in facilities else "")
        for b in found
    ]

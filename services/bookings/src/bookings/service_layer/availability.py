"""Availability of a facility for a day, a week or a month: free and taken time, without who booked it.

The public sees taken slots only as taken; the managing department's staff see whose booking each is; a
representative sees which are its own associations'.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bookings.service_layer.access import manages, represents
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.errors import NotFound
from shared.localtime import local_moment


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class TakenSlot:
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    kind: str
    state: str
    own: bool = False
    booking_id: uuid.UUID | None = None
    applicant_id: uuid.UUID | None = None


@dataclass(frozen=True)
class DayAvailability:
    day: date
    opens_at: datetime | None
    closes_at: datetime | None
    closed_because: str | None
    free: list[tuple[datetime, datetime]]
    taken: list[TakenSlot]


def days_of(start: date, period: Period) -> list[date]:
    if period is Period.DAY:
        return [start]
    if period is Period.WEEK:
        monday = start - timedelta(days=start.weekday())
        return [monday + timedelta(days=n) for n in range(7)]
    first = start.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


async def availability(
    uow: BookingsUnitOfWork, *, actor: Principal, facility_id: uuid.UUID, start: date, period: Period
) -> list[DayAvailability]:
    days = days_of(start, period)
    async with uow.reading():
        facility = await uow.facilities.get(facility_id)
        if facility is None or not facility.active:
            raise NotFound("No such facility.")
        opening = facility.opening_hours(await uow.exceptions.between(facility.id, days[0], days[-1]))  # type: ignore[arg-type]
        period_start = local_moment(days[0], datetime.min.time())
        period_end = local_moment(days[-1] + timedelta(days=1), datetime.min.time())
        rows = await uow.occurrences.in_period(facility.id, period_start, period_end)
    staff = manages(actor, facility.department_code)
    taken = [
        TakenSlot(
            starts_at=r["starts_at"],
            ends_at=r["ends_at"],
            blocked_until=r["blocked_until"],
            kind=r["kind"],
            state=r["state"],
            own=represents(actor, r["applicant_id"]),
            booking_id=r["booking_id"] if staff or represents(actor, r["applicant_id"]) else None,
            applicant_id=r["applicant_id"] if staff or represents(actor, r["applicant_id"]) else None,
        )
        for r in rows
    ]
    result = []
    for day in days:
        plan = opening.plan(day)
        interval = plan.interval()
        day_start = local_moment(day, datetime.min.time())
        day_end = local_moment(day + timedelta(days=1), datetime.min.time())
        of_day = [t for t in taken if t.starts_at < day_end and t.blocked_until > day_start]
        free = _free(interval, of_day) if interval else []
        result.append(
            DayAvailability(
                day,
                interval[0] if interval else None,
                interval[1] if interval else None,
                plan.closed_because,
                free,
                of_day,
            )
        )
    return result


def _free(interval: tuple[datetime, datetime], taken: list[TakenSlot]) -> list[tuple[datetime, datetime]]:
    """The open time not held by any taken slot (its buffer included)."""
    free, cursor = [], interval[0]
    for slot in sorted(taken, key=lambda t: t.starts_at):
        if slot.starts_at > cursor:
            free.append((cursor, min(slot.starts_at, interval[1])))
        cursor = max(cursor, slot.blocked_until)
        if cursor >= interval[1]:
            break
    if cursor < interval[1]:
        free.append((cursor, interval[1]))
    return [(s, e) for s, e in free if e > s]

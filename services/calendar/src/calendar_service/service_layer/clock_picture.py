"""The annual clock as a picture: the clock's active entries placed on a year, and the upcoming dated schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from calendar_service.domain.annual_clock import ClockEntry
from calendar_service.service_layer.schedule import YEARS, ShownEntry, _query_for, _titled
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import ANONYMOUS
from shared.errors import InvalidInput

UPCOMING_DAYS = 120


@dataclass(frozen=True)
class PlacedEntry:
    """A clock entry on one year's wheel: its first and last day that year."""

    entry: ClockEntry
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ClockPicture:
    year: int
    today: date
    entries: list[PlacedEntry]
    upcoming: list[ShownEntry]


async def clock_picture(uow: CalendarUnitOfWork, *, year: int | None, today: date) -> ClockPicture:
    """What the public wheel page shows: every active clock entry on ``year`` (default: this year) and the
    public schedule's dated entries of the next 120 days."""
    year = year or today.year
    if year not in YEARS:
        raise InvalidInput("The year is 2000–2100.", field="year")
    async with uow:
        entries = await uow.clock_entries.all_active()
        found, _ = await uow.schedule.search(_query_for(ANONYMOUS, from_date=today), limit=100, offset=0)
        soon = [e for e in found if e.starts_on is not None and e.starts_on <= today + timedelta(days=UPCOMING_DAYS)]
        upcoming = await _titled(uow, soon)
    placed = [PlacedEntry(e, *e.rule.dates_in(year)) for e in entries]
    placed.sort(key=lambda p: (p.starts_on, p.entry.title_fi, p.entry.id))
    return ClockPicture(year=year, today=today, entries=placed, upcoming=upcoming)

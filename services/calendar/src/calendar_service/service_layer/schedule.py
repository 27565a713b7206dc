"""The detailed schedule: generated from the annual clock, filled with the dates other services' events give.

Generating a year twice gives one set (each planned entry's id is its clock entry and year, and a rewrite
happens only when the clock entry changed since). Every source event goes through the same guarded write
(``ScheduleRepository.put``/``put_state``, ordered by the event's time), so redelivered and out-of-order
events end in the same schedule as the events in order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from calendar_service.adapters.repository import ScheduleQuery
from calendar_service.domain.annual_clock import Category
from calendar_service.domain.schedule import ScheduleEntry, SourceKind, entry_id, planned_for
from calendar_service.service_layer import newsletter_dates
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal, Role
from shared.copies import revision_at
from shared.errors import Forbidden, InvalidInput
from shared.localtime import local_date
from shared.scheduling import PeriodicJob

YEARS = range(2000, 2101)


async def generate_year(uow: CalendarUnitOfWork, *, year: int, announce_all: bool = False) -> int:
    """Put the clock's planned entries on ``year``'s schedule; returns how many were written or removed.

    The planned newsletter dates written or removed are announced to the notifier (``newsletter_dates``); with
    ``announce_all`` every one of the year is, written or not.
    """
    if year not in YEARS:
        raise InvalidInput("The year is 2000–2100.", field="year")
    async with uow:
        entries = await uow.clock_entries.all_active()
        earlier = {e.id: e for e in await uow.schedule.planned(year)}
        written = 0
        for entry in entries:
            assert entry.updated_at is not None
            planned_id, revision = entry_id(SourceKind.CLOCK, entry.id, year), revision_at(entry.updated_at)
            changed = await uow.schedule.put(planned_id, revision, planned_for(entry, year))
            written += changed
            if changed or announce_all:
                planned = await uow.schedule.get(planned_id)
                newsletter_dates.announce(uow, planned, entry, year, revision, earlier.get(planned_id))
        removed = await uow.schedule.remove_planned(
            year, keep={entry_id(SourceKind.CLOCK, e.id, year) for e in entries}
        )
        for gone in removed:
            newsletter_dates.withdraw(uow, gone, revision_at(uow.clock()))
        await uow.commit()
    return written + len(removed)


async def generate_schedule(uow: CalendarUnitOfWork, *, actor: Principal, year: int) -> int:
    """Staff (re)generate a year's schedule at once, e.g. after changing the clock; its newsletter dates are
    announced again (how a notifier that missed them catches up)."""
    if not actor.is_staff_or_admin:
        raise Forbidden("Only city staff may generate the schedule.")
    return await generate_year(uow, year=year, announce_all=True)


async def keep_schedules_generated(uow: CalendarUnitOfWork, now: datetime, *, years_ahead: int) -> int:
    """The worker's job: the current (Helsinki) year's schedule and the next ones' follow the clock."""
    this_year = local_date(now).year
    return sum([await generate_year(uow, year=y) for y in range(this_year, this_year + years_ahead + 1)])


def schedule_job(years_ahead: int) -> PeriodicJob:
    return PeriodicJob("keep_schedules_generated", partial(keep_schedules_generated, years_ahead=years_ahead))


@dataclass(frozen=True)
class ShownEntry:
    entry: ScheduleEntry
    title_fi: str


def _query_for(actor: Principal, **filters: object) -> ScheduleQuery:
    if actor.role in (Role.STAFF, Role.ADMIN):
        return ScheduleQuery(everything=True, **filters)  # type: ignore[arg-type]
    return ScheduleQuery(association_ids=actor.association_ids, **filters)  # type: ignore[arg-type]


async def search_schedule(
    uow: CalendarUnitOfWork,
    *,
    actor: Principal,
    year: int | None = None,
    category: Category | None = None,
    from_date: date | None = None,
    limit: int,
    offset: int,
) -> tuple[list[ShownEntry], int]:
    """The schedule the caller may see: public entries, plus an association's own (its reports and
    discussions) for its representatives, and everything for staff."""
    async with uow:
        found, total = await uow.schedule.search(
            _query_for(actor, year=year, category=category, from_date=from_date), limit=limit, offset=offset
        )
        return await _titled(uow, found), total


async def upcoming(uow: CalendarUnitOfWork, *, actor: Principal, today: date, days: int = 120) -> list[ShownEntry]:
    async with uow:
        found, _ = await uow.schedule.search(_query_for(actor, from_date=today), limit=100, offset=0)
        return await _titled(uow, [e for e in found if e.starts_on and e.starts_on <= today + timedelta(days=days)])


async def _titled(uow: CalendarUnitOfWork, entries: list[ScheduleEntry]) -> list[ShownEntry]:
    """Application periods are named after their programme once grants has told its name."""
    programmes = await uow.programmes.by_ids({e.programme_id for e in entries if e.programme_id})
    shown = []
    for e in entries:
        title = e.title_fi or ""
        programme = programmes.get(e.programme_id) if e.programme_id else None
        if programme is not None and programme.name:
            title = f"{title}: {programme.name}"
        shown.append(ShownEntry(e, title))
    return shown


async def entries_of_source(uow: CalendarUnitOfWork, kind: SourceKind, source_id: uuid.UUID) -> ScheduleEntry | None:
    async with uow:
        return await uow.schedule.get(entry_id(kind, source_id))


FEED_SIZE = 2000


async def feed(
    uow: CalendarUnitOfWork, *, actor: Principal, today: date, category: Category | None = None
) -> list[ShownEntry]:
    """What a calendar app subscribes to: the caller's schedule from a year back onwards (at most 2000 entries)."""
    async with uow:
        found, _ = await uow.schedule.search(
            _query_for(actor, category=category, from_date=today - timedelta(days=365)), limit=FEED_SIZE, offset=0
        )
        return await _titled(uow, found)

"""The yearly realisation view for staff: an input to the city's wellbeing report (``domain.realisation``)."""

from __future__ import annotations

from datetime import date

from calendar_service.domain.annual_clock import Category
from calendar_service.domain.realisation import Actual, Planned, Realisation, realise
from calendar_service.domain.schedule import EntryState, ScheduleEntry, SourceKind
from calendar_service.service_layer.schedule import YEARS
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal
from shared.errors import Forbidden, InvalidInput

# What counts as having happened, per kind of dated entry.
HAPPENED = {
    SourceKind.GRANT_ROUND: {EntryState.OPEN, EntryState.CLOSED},
    SourceKind.NEWSLETTER: {EntryState.DONE},
    SourceKind.EVENT: {EntryState.DONE},
}


def _planned(e: ScheduleEntry) -> Planned | None:
    if e.kind is not SourceKind.CLOCK or e.clock_entry_id is None or e.starts_on is None or e.category is None:
        return None
    return Planned(e.clock_entry_id, e.category, e.title_fi or "", e.starts_on, e.ends_on or e.starts_on)


async def year_realisation(uow: CalendarUnitOfWork, *, actor: Principal, year: int, today: date) -> Realisation:
    if not actor.is_staff_or_admin:
        raise Forbidden("Only city staff may see the realisation.")
    if year not in YEARS:
        raise InvalidInput("The year is 2000–2100.", field="year")
    async with uow:
        entries = await uow.schedule.of_year(year)
        planned = [p for p in map(_planned, entries) if p is not None]
        happened = [e for e in entries if e.state in HAPPENED.get(e.kind, set())]
        attendance = await uow.registrations.confirmed_totals(
            {e.source_id for e in happened if e.kind is SourceKind.EVENT}
        )
        programmes = await uow.programmes.by_ids({e.programme_id for e in happened if e.programme_id})
    actuals = []
    for e in happened:
        assert e.starts_on is not None
        title = e.title_fi or ""
        programme = programmes.get(e.programme_id) if e.programme_id else None
        if programme is not None and programme.name:
            title = f"{title}: {programme.name}"
        registrations, participants = (
            attendance.get(e.source_id, (0, 0)) if e.kind is SourceKind.EVENT else (None, None)
        )
        actuals.append(Actual(
            e.kind.value, e.source_id, e.category or Category.OTHER, title, e.starts_on, e.ends_on or e.starts_on,
            e.clock_entry_id, registrations, participants,
        ))  # fmt: skip
    return realise(year, planned, actuals, today=today)

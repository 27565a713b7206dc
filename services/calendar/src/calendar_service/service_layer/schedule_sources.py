"""Dates from other services' events onto the schedule, each event written once and in its order.

``revision`` is the event's ``occurred_at`` as a number (``shared.copies.revision_at``): a whole-state event
(a round scheduled or opened, a report due) replaces the entry's dates only when newer than the dates it
holds; a state event (a round closed, a report submitted) changes only the state, and only when newer.
A newsletter issue is matched to the clock's nearest newsletter entry of its year (the planned issue it is),
and bookings' facilities are kept as a copy, for placing events.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from calendar_service.domain.annual_clock import Audience, Category
from calendar_service.domain.schedule import (
    CATEGORY_OF,
    TITLE_FI,
    EntryState,
    SourceKind,
    entry_id,
    nearest_clock_entry,
)
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.localtime import local_date


def _dated(
    kind: SourceKind,
    source_id: uuid.UUID,
    *,
    starts_on: date | None,
    ends_on: date | None,
    state: EntryState,
    audience: Audience,
    year: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "source_id": source_id,
        "year": year if year is not None else (starts_on.year if starts_on else None),
        "category": CATEGORY_OF[kind].value,
        "audience": audience.value,
        "title_fi": TITLE_FI[kind],
        "starts_on": starts_on,
        "ends_on": ends_on if ends_on is not None else starts_on,
        "state": state.value,
        **extra,
    }


async def round_dated(
    uow: CalendarUnitOfWork,
    *,
    round_id: uuid.UUID,
    programme_id: uuid.UUID,
    year: int,
    opens_at: datetime,
    closes_at: datetime | None,
    state: EntryState,
    revision: int,
    decision_deadline: date | None = None,
    usage_report_deadline: date | None = None,
    deadlines_known: bool = False,
) -> None:
    """A round scheduled (with its deadlines) or opened: its application period, and its deadlines."""
    async with uow:
        period = _dated(
            SourceKind.GRANT_ROUND, round_id, starts_on=local_date(opens_at),
            ends_on=local_date(closes_at) if closes_at else None, state=state, audience=Audience.EVERYONE,
            year=year, starts_at=opens_at, ends_at=closes_at, programme_id=programme_id,
        )  # fmt: skip
        await uow.schedule.put(entry_id(SourceKind.GRANT_ROUND, round_id), revision, period)
        if deadlines_known:
            for kind, day, audience in (
                (SourceKind.ROUND_USAGE_DEADLINE, usage_report_deadline, Audience.GRANTEES),
                (SourceKind.ROUND_DECISION_DEADLINE, decision_deadline, Audience.EVERYONE),
            ):
                # A deadline taken away leaves its entry without dates: no longer shown.
                values = _dated(
                    kind, round_id, starts_on=day, ends_on=day, state=EntryState.SCHEDULED, audience=audience,
                    year=day.year if day else year, programme_id=programme_id,
                )  # fmt: skip
                await uow.schedule.put(entry_id(kind, round_id), revision, values)
        await uow.commit()


async def round_state(uow: CalendarUnitOfWork, *, round_id: uuid.UUID, state: EntryState, revision: int) -> None:
    async with uow:
        await uow.schedule.put_state(entry_id(SourceKind.GRANT_ROUND, round_id), revision, state)
        await uow.commit()


async def association_deadline(
    uow: CalendarUnitOfWork,
    *,
    kind: SourceKind,
    source_id: uuid.UUID,
    association_id: uuid.UUID,
    due_on: date,
    revision: int,
) -> None:
    """One association's own deadline (a usage report, a partnership discussion): never public."""
    audience = Audience.GRANTEES if kind is SourceKind.USAGE_REPORT else Audience.PARTNERS
    async with uow:
        values = _dated(
            kind, source_id, starts_on=due_on, ends_on=due_on, state=EntryState.SCHEDULED, audience=audience,
            association_id=association_id,
        )  # fmt: skip
        await uow.schedule.put(entry_id(kind, source_id), revision, values)
        await uow.commit()


async def source_state(
    uow: CalendarUnitOfWork, *, kind: SourceKind, source_id: uuid.UUID, state: EntryState, revision: int
) -> None:
    async with uow:
        await uow.schedule.put_state(entry_id(kind, source_id), revision, state)
        await uow.commit()


async def programme_named(
    uow: CalendarUnitOfWork, *, programme_id: uuid.UUID, name: str, department_code: str, revision: int
) -> None:
    async with uow:
        await uow.programmes.put_record(programme_id, revision, {"name": name, "department_code": department_code})
        await uow.commit()


async def newsletter_dated(
    uow: CalendarUnitOfWork,
    *,
    issue_id: uuid.UUID,
    at: datetime,
    state: EntryState,
    subject: str | None,
    revision: int,
    clock_entry_id: uuid.UUID | None = None,
) -> None:
    """An issue scheduled (``at`` its sending time) or sent (``at`` when its deliveries were done).

    It fulfils the clock entry it was scheduled on (``clock_entry_id``, ADR 0014) while that is an active
    newsletter entry, else the nearest one. Its subject is public only once sent, so a scheduled issue is shown
    by the clock entry's title alone.
    """
    day = local_date(at)
    async with uow:
        newsletters = [e for e in await uow.clock_entries.all_active() if e.category is Category.NEWSLETTER]
        named = [e for e in newsletters if e.id == clock_entry_id]
        planned = named[0] if named else nearest_clock_entry(newsletters, Category.NEWSLETTER, day)
        values = _dated(
            SourceKind.NEWSLETTER, issue_id, starts_on=day, ends_on=day, state=state, audience=Audience.EVERYONE,
            starts_at=at, ends_at=at, clock_entry_id=planned.id if planned else None,
            title_fi=planned.title_fi if planned else TITLE_FI[SourceKind.NEWSLETTER],
            title_sv=planned.title_sv if planned else None, title_en=planned.title_en if planned else None,
            description_fi=subject,
        )  # fmt: skip
        await uow.schedule.put(entry_id(SourceKind.NEWSLETTER, issue_id), revision, values)
        await uow.commit()


async def facility_registered(
    uow: CalendarUnitOfWork, *, facility_id: uuid.UUID, name: str, address: str, department_code: str, revision: int
) -> None:
    async with uow:
        await uow.facilities.put_record(
            facility_id, revision, {"name": name, "address": address, "department_code": department_code}
        )
        await uow.commit()

"""The planned newsletter dates the calendar announces to the notifier (ADR 0014).

The annual clock's newsletter entries give each year's planned issue dates; the notifier keeps a copy of them
(``NewsletterDatePlanned``) so that staff schedule an issue on one. An entry written anew (generated, or its
clock entry changed) is announced; one that left the year's schedule, or stopped being a newsletter entry, is
withdrawn (``NewsletterDateWithdrawn``). Staff regenerating a year announce its dates again, unchanged or not:
the notifier's copy ignores what it already holds, so a notifier that missed them catches up.
"""

from __future__ import annotations

from calendar_service.domain.annual_clock import Category, ClockEntry
from calendar_service.domain.schedule import ScheduleEntry
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.contracts.calendar import NewsletterDatePlanned, NewsletterDateWithdrawn


def announce(
    uow: CalendarUnitOfWork, planned: ScheduleEntry | None, entry: ClockEntry, year: int, revision: int,
    earlier: ScheduleEntry | None,
) -> None:  # fmt: skip
    """``entry``'s planned entry of ``year`` was written (``planned`` as it is now): tell the notifier."""
    if planned is None:
        return
    if entry.category is Category.NEWSLETTER and planned.starts_on is not None:
        planned_date = NewsletterDatePlanned(
            entry_id=planned.id, clock_entry_id=entry.id, year=year, planned_on=planned.starts_on,
            title_fi=entry.title_fi, revision=revision,
        )  # fmt: skip
        uow.emit(planned_date)
    elif earlier is not None and earlier.category is Category.NEWSLETTER:
        withdraw(uow, earlier, revision)


def withdraw(uow: CalendarUnitOfWork, gone: ScheduleEntry, revision: int) -> None:
    """``gone`` (a planned entry as it was) no longer plans an issue."""
    if gone.category is Category.NEWSLETTER and gone.clock_entry_id is not None and gone.year is not None:
        uow.emit(
            NewsletterDateWithdrawn(
                entry_id=gone.id, clock_entry_id=gone.clock_entry_id, year=gone.year, revision=revision
            )
        )

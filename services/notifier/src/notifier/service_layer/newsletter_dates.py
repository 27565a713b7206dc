"""The annual clock's planned newsletter dates in the notifier (ADR 0014): kept from the calendar's events,
listed for staff with the time an issue scheduled on each would go out.

``date_planned`` is a whole record and ``date_withdrawn`` a status event of the copy (``shared.copies``): both
ordered by the clock entry's revision, so redelivered and out-of-order events end in the same copy.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from notifier.domain.newsletter_date import NewsletterDate, send_time
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.auth import Principal
from shared.errors import Forbidden, InvalidInput

YEARS = range(2000, 2101)


async def date_planned(
    uow: NotifierUnitOfWork, *, entry_id: uuid.UUID, clock_entry_id: uuid.UUID, year: int, planned_on: date,
    title_fi: str, revision: int,
) -> None:  # fmt: skip
    async with uow:
        values = {"clock_entry_id": clock_entry_id, "year": year, "planned_on": planned_on, "title_fi": title_fi,
                  "withdrawn": False}  # fmt: skip
        await uow.newsletter_dates.put_record(entry_id, revision, values)
        await uow.commit()


async def date_withdrawn(uow: NotifierUnitOfWork, *, entry_id: uuid.UUID, revision: int) -> None:
    async with uow:
        await uow.newsletter_dates.put_status(entry_id, revision, {"withdrawn": True})
        await uow.commit()


@dataclass(frozen=True)
class PlannedDate:
    date: NewsletterDate
    send_at: datetime  # when an issue scheduled on it goes out (UTC)


async def list_dates(uow: NotifierUnitOfWork, *, actor: Principal, year: int, send_hour: int) -> list[PlannedDate]:
    if not actor.is_staff_or_admin:
        raise Forbidden("Only city staff handle the newsletter.")
    if year not in YEARS:
        raise InvalidInput("The year is 2000–2100.", field="year")
    async with uow.reading():
        found = await uow.newsletter_dates.of_year(year)
    return [PlannedDate(d, send_time(d.planned_on, send_hour)) for d in found if d.planned_on is not None]

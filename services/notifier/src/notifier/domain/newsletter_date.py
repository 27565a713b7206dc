"""A planned newsletter date: the annual clock's newsletter entry in one year, as the calendar announces it.

The notifier keeps a copy (ADR 0014) so that staff schedule an issue on one of the year's planned dates; the
issue is then sent at a fixed Helsinki wall-clock hour of that day (``newsletter_send_hour``, 09:00 unless
set), whatever the offset from UTC that day (the clocks change in March and October).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from shared.errors import InvalidInput
from shared.localtime import local_moment


@dataclass
class NewsletterDate:
    id: uuid.UUID  # the calendar's planned schedule entry
    clock_entry_id: uuid.UUID | None
    year: int | None
    planned_on: date | None  # None while only its withdrawal is known
    title_fi: str | None
    withdrawn: bool = False
    revision: int = 0

    @property
    def listed(self) -> bool:
        return self.planned_on is not None and not self.withdrawn


def send_time(day: date, hour: int) -> datetime:
    """The moment (UTC) of ``hour``:00 in Helsinki on ``day``; an hour the clocks skip or repeat is refused."""
    return local_moment(day, time(hour), field="newsletter_date_id")


def sending_time(found: NewsletterDate | None, hour: int, now: datetime) -> datetime:
    """When an issue scheduled on ``found`` goes out: refused (naming the field) for a date that is unknown,
    withdrawn, or whose sending hour has passed."""
    if found is None or not found.listed:
        raise InvalidInput("No such planned newsletter date (see /newsletter-dates).", field="newsletter_date_id")
    assert found.planned_on is not None
    at = send_time(found.planned_on, hour)
    if at <= now:
        raise InvalidInput(
            "That planned date's sending time has passed; give a time instead.", field="newsletter_date_id"
        )
    return at

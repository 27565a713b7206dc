"""A weekly series for a season: the same weekday and the same local wall-clock times, week after week.

Each occurrence is built from its own date and the local times (``shared.localtime.local_moment``), never by
adding seven days of UTC: so 18:00–20:00 stays 18:00–20:00 in Pori across the October and March clock changes,
while its UTC moment moves by an hour. An occurrence whose local time does not exist or happens twice that
night is reported, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shared.errors import InvalidInput
from shared.localtime import LocalTimeError, local_moment

MAX_OCCURRENCES = 60


@dataclass(frozen=True)
class Slot:
    day: date
    starts_at: datetime | None  # UTC; None when the local time is not one moment that day
    ends_at: datetime | None
    problem: str | None = None


def weekly(first_day: date, last_day: date, starts: time, ends: time) -> list[Slot]:
    """Every week's slot from ``first_day`` (its weekday) through ``last_day``."""
    if last_day < first_day:
        raise InvalidInput("The season ends on or after its first day.", field="repeat_until")
    days = [first_day + timedelta(weeks=n) for n in range((last_day - first_day).days // 7 + 1)]
    if len(days) > MAX_OCCURRENCES:
        raise InvalidInput(f"A series has at most {MAX_OCCURRENCES} weeks.", field="repeat_until")
    slots = []
    for day in days:
        try:
            slots.append(Slot(day, local_moment(day, starts), local_moment(day, ends)))
        except LocalTimeError as refused:
            slots.append(Slot(day, None, None, refused.message))
    return slots

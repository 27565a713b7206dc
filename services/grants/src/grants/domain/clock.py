"""Time as the city reasons about it: deadlines are local (Europe/Helsinki) times, stored in UTC."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def as_local(value: datetime) -> datetime:
    """A time without a zone is a Helsinki wall-clock time; one with a zone is converted."""
    return value.replace(tzinfo=HELSINKI) if value.tzinfo is None else value.astimezone(HELSINKI)


def local_date(value: datetime) -> date:
    return as_local(value).date()


def end_of_local_day(day: date) -> datetime:
    """The last moment of a local date: a deadline ``2027-01-31`` lasts until midnight in Pori."""
    return datetime.combine(day + timedelta(days=1), time.min, HELSINKI) - timedelta(microseconds=1)

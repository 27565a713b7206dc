"""Time as the city reasons about it: Helsinki wall-clock times and dates, stored and sent in UTC.

A time without an offset is a Helsinki wall-clock time. Twice a year such a time is not one moment: on the last
Sunday of March the clocks move from 03:00 to 04:00, so ``2027-03-28T03:30`` never happens; on the last Sunday
of October they move from 04:00 back to 03:00, so ``2027-10-31T03:30`` happens twice. Neither is guessed:
:func:`resolve_local` refuses both, asking for an explicit offset. Every time a person types reaches the
system through it (the HTTP layer's ``IsoDateTime`` calls it), and so does every local time the code builds
from a date and a wall-clock time (a booking's slot, a round's deadline).

Compare and subtract moments in UTC: Python compares two datetimes of the same zone by their wall clocks, so
03:30 before and after the autumn change would compare equal. :func:`local_moment` and the HTTP layer hand out
UTC; Helsinki-aware values (:func:`as_local`) are for showing a date or a time of day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.errors import InvalidInput

HELSINKI = ZoneInfo("Europe/Helsinki")


class LocalTimeError(InvalidInput):
    """A Helsinki wall-clock time that does not exist or that happens twice."""


def resolve_local(value: datetime, *, field: str | None = None) -> datetime:
    """``value`` as an aware Helsinki time; a naive value is a Helsinki wall-clock time that must be one moment."""
    try:
        return _resolve_local(value, field=field)
    except OverflowError:  # within hours of year 1 or 9999: no moment in UTC to compare with
        raise InvalidInput(f"{value:%Y-%m-%d} is outside the dates the city reasons about.", field=field) from None


def _resolve_local(value: datetime, *, field: str | None) -> datetime:
    if value.tzinfo is not None:
        return value.astimezone(HELSINKI)
    earlier, later = value.replace(tzinfo=HELSINKI, fold=0), value.replace(tzinfo=HELSINKI, fold=1)
    if earlier.astimezone(UTC).astimezone(HELSINKI).replace(tzinfo=None) != value:
        raise LocalTimeError(
            f"{value:%Y-%m-%dT%H:%M} does not exist in Helsinki (the clocks go forward an hour that night): "
            "give a time outside the skipped hour, or an explicit offset.",
            field=field,
        )
    if earlier.utcoffset() != later.utcoffset():
        offsets = " or ".join(_offset(moment) for moment in (earlier, later))
        raise LocalTimeError(
            f"{value:%Y-%m-%dT%H:%M} happens twice in Helsinki (the clocks go back an hour that night): "
            f"give the offset, {offsets}.",
            field=field,
        )
    return earlier


def local_moment(day: date, at: time, *, field: str | None = None) -> datetime:
    """The moment (in UTC) a Helsinki date and wall-clock time name; refused where that is not exactly one moment."""
    return resolve_local(datetime.combine(day, at), field=field).astimezone(UTC)


def as_local(value: datetime) -> datetime:
    """An aware time seen in Helsinki; a naive one is resolved by :func:`resolve_local`."""
    return resolve_local(value)


def local_date(value: datetime) -> date:
    return as_local(value).date()


def end_of_local_day(day: date) -> datetime:
    """The last moment of a local date: a deadline ``2027-01-31`` lasts until midnight in Pori."""
    return datetime.combine(day + timedelta(days=1), time.min, HELSINKI) - timedelta(microseconds=1)


def _offset(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")

"""Opening hours: a weekly pattern in Helsinki local time, exceptions by date, and Finland's public holidays.

A facility is closed on a public holiday (known from the maintained ``holidays`` library, nobody types them in)
unless an exception for that date opens it. An exception either closes the day (maintenance, a closure) or
gives it other hours. Every moment is computed with ``shared.localtime``, so 08:00–22:00 is 08:00–22:00 on the
wall clock on both sides of a clock change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from shared.errors import InvalidInput
from shared.localtime import local_date, local_moment

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=64)
def _finnish_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("FI", years=year, language="en_US").items())


def public_holiday(day: date) -> str | None:
    """The name of the Finnish public holiday on ``day``, if it is one."""
    return _finnish_holidays(day.year).get(day)


@dataclass(frozen=True)
class Hours:
    opens: time
    closes: time

    def validate(self, field_name: str) -> None:
        if self.closes <= self.opens:
            raise InvalidInput("A day's hours close after they open.", field=field_name)


@dataclass
class OpeningException:
    """A date with other hours (``hours``) or none (closed): maintenance, a closure, changed hours."""

    id: object
    facility_id: object
    day: date
    opens: time | None
    closes: time | None
    reason: str

    @property
    def closed(self) -> bool:
        return self.opens is None or self.closes is None


@dataclass(frozen=True)
class DayPlan:
    day: date
    hours: Hours | None
    closed_because: str | None = None

    def interval(self) -> tuple[datetime, datetime] | None:
        """The day's opening as UTC moments."""
        if self.hours is None:
            return None
        return local_moment(self.day, self.hours.opens), local_moment(self.day, self.hours.closes)


@dataclass
class OpeningHours:
    weekly: dict[str, Hours]  # "mon".."sun"; a weekday not named is closed
    exceptions: dict[date, OpeningException] = field(default_factory=dict)
    closed_on_holidays: bool = True

    def validate(self) -> None:
        for name, hours in self.weekly.items():
            if name not in WEEKDAYS:
                raise InvalidInput(f"Unknown weekday {name!r}: use mon … sun.", field="weekly_hours")
            hours.validate("weekly_hours")

    def plan(self, day: date) -> DayPlan:
        exception = self.exceptions.get(day)
        if exception is not None:
            if exception.closed:
                return DayPlan(day, None, exception.reason or "closed")
            assert exception.opens is not None and exception.closes is not None
            return DayPlan(day, Hours(exception.opens, exception.closes))
        if self.closed_on_holidays and (holiday := public_holiday(day)):
            return DayPlan(day, None, f"public holiday: {holiday}")
        hours = self.weekly.get(WEEKDAYS[day.weekday()])
        return DayPlan(day, hours, None if hours else "closed on this weekday")

    def why_closed(self, starts_at: datetime, ends_at: datetime) -> str | None:
        """Why the facility is not open for the whole of ``starts_at``–``ends_at`` (UTC), or None if it is."""
        day = local_date(starts_at)
        if local_date(ends_at - timedelta(microseconds=1)) != day:
            return "a booking ends on the day it starts"
        plan = self.plan(day)
        interval = plan.interval()
        if interval is None:
            return plan.closed_because
        if starts_at < interval[0] or ends_at > interval[1]:
            return f"outside the opening hours {plan.hours.opens:%H:%M}–{plan.hours.closes:%H:%M}"  # type: ignore[union-attr]
        return None

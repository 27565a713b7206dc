"""The annual clock (vuosikello): the permanent, planned-ahead picture of the year's cooperation.

An entry recurs every year by its date rule: a whole month (an arc on the wheel), a fixed day of a month, or
the n-th (or last) weekday of a month, optionally lasting several days. Staff keep the entries; everyone reads
them. The detailed schedule of a year is generated from the entries (``schedule.planned_for``).
"""

from __future__ import annotations

import calendar as stdlib_calendar
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.errors import InvalidInput


class Category(StrEnum):
    GRANT_APPLICATION = "grant_application"
    USAGE_REPORT = "usage_report"
    ASSOCIATION_EVENING = "association_evening"
    NEWSLETTER = "newsletter"
    PARTNERSHIP_DISCUSSION = "partnership_discussion"
    EVALUATION = "evaluation"
    EVENT = "event"
    COOPERATION_GROUP = "cooperation_group"
    OTHER = "other"


class Audience(StrEnum):
    EVERYONE = "everyone"
    ASSOCIATIONS = "associations"
    GRANTEES = "grantees"
    PARTNERS = "partners"
    STAFF = "staff"


LAST = -1


@dataclass(frozen=True)
class DateRule:
    """When in the year: ``month`` alone is the whole month; ``day`` a fixed date; ``weekday`` (0 = Monday)
    with ``week`` (1–4, or -1 for the last) the n-th weekday of the month. ``duration_days`` widens a day."""

    month: int
    day: int | None = None
    weekday: int | None = None
    week: int | None = None
    duration_days: int = 1

    def validate(self) -> None:
        if not 1 <= self.month <= 12:
            raise InvalidInput("The month is 1–12.", field="month")
        if self.day is not None and (self.weekday is not None or self.week is not None):
            raise InvalidInput("Give either a day or a weekday with its week, not both.", field="day")
        if self.day is not None and not 1 <= self.day <= 31:
            raise InvalidInput("The day is 1–31.", field="day")
        if self.day is not None and self.day > _days_in(2024, self.month):  # a leap year allows 29 February
            raise InvalidInput("That month never has this day.", field="day")
        if (self.weekday is None) != (self.week is None):
            raise InvalidInput("A weekday rule needs both the weekday and the week.", field="week")
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise InvalidInput("The weekday is 0 (Monday) – 6 (Sunday).", field="weekday")
        if self.week is not None and self.week not in (1, 2, 3, 4, LAST):
            raise InvalidInput("The week is 1–4, or -1 for the last one of the month.", field="week")
        if not 1 <= self.duration_days <= 92:
            raise InvalidInput("An entry lasts 1–92 days.", field="duration_days")

    @property
    def whole_month(self) -> bool:
        return self.day is None and self.weekday is None

    def dates_in(self, year: int) -> tuple[date, date]:
        """The first and last day the rule names in ``year`` (29 February falls on the 28th in other years)."""
        if self.whole_month:
            return date(year, self.month, 1), date(year, self.month, _days_in(year, self.month))
        if self.day is not None:
            start = date(year, self.month, min(self.day, _days_in(year, self.month)))
        else:
            assert self.weekday is not None and self.week is not None
            start = _nth_weekday(year, self.month, self.weekday, self.week)
        return start, start + timedelta(days=self.duration_days - 1)

    def describe_fi(self) -> str:
        month = MONTHS_FI[self.month - 1]
        if self.whole_month:
            return month
        if self.day is not None:
            return f"{self.day}.{self.month}." + (f" ({self.duration_days} pv)" if self.duration_days > 1 else "")
        assert self.weekday is not None and self.week is not None
        which = "viimeinen" if self.week == LAST else f"{self.week}."
        return f"{month}n {which} {WEEKDAYS_FI[self.weekday]}"


def _days_in(year: int, month: int) -> int:
    return stdlib_calendar.monthrange(year, month)[1]


def _nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    if week == LAST:
        last = date(year, month, _days_in(year, month))
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


MONTHS_FI = (
    "tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu",
    "heinäkuu", "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu",
)  # fmt: skip
WEEKDAYS_FI = ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai")


@dataclass
class ClockEntry:
    """One yearly entry. It names who answers for it: a department (its code) or a liaison contact (its id)."""

    id: uuid.UUID
    title_fi: str
    category: Category
    audience: Audience
    month: int
    day: int | None = None
    weekday: int | None = None
    week: int | None = None
    duration_days: int = 1
    description_fi: str = ""
    title_sv: str | None = None
    title_en: str | None = None
    description_sv: str | None = None
    description_en: str | None = None
    responsible_department: str | None = None
    responsible_liaison_id: uuid.UUID | None = None
    active: bool = True
    created_at: datetime | None = field(default=None, compare=False)
    updated_at: datetime | None = field(default=None, compare=False)

    @property
    def rule(self) -> DateRule:
        return DateRule(self.month, self.day, self.weekday, self.week, self.duration_days)

    def validate(self) -> None:
        self.rule.validate()
        if not self.title_fi.strip():
            raise InvalidInput("Give the entry a Finnish title.", field="title_fi")
        if self.responsible_department is None and self.responsible_liaison_id is None:
            raise InvalidInput(
                "Name who answers for the entry: a department or a liaison contact.", field="responsible_department"
            )

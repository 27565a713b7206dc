"""What the city reads off bookings afterwards: a department's invoicing basis for a month, and the hours
associations used its premises in a year (for the programme's yearly report).

Months and years are Helsinki local ones: a booking on 1 October at 01:00 local time (22:00 UTC the day
before) belongs to October. Prices are the ones recorded with each occurrence when it was booked, never
recomputed from the facility's price today.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from shared.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, *, field: str = "month") -> Month:
        found = _MONTH.match(text)
        if found is None or not 1 <= int(found[2]) <= 12 or not 1000 <= int(found[1]) <= 2999:
            raise InvalidInput("A month such as 2027-09.", field=field)
        return cls(int(found[1]), int(found[2]))

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class InvoiceLine:
    """One occurrence to invoice: confirmed and in the month, or cancelled by its booker too late to be free."""

    booking_id: uuid.UUID
    occurrence_id: uuid.UUID
    booker_id: uuid.UUID
    booker_name: str | None  # None for a private person: their names stay in the directory
    booker_kind: str | None
    facility_id: uuid.UUID
    facility_name: str
    starts_at: datetime
    ends_at: datetime
    price_cents: int
    free_use_reason: str | None
    late_cancellation: bool

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at) / timedelta(minutes=1))


@dataclass(frozen=True)
class UsageFigures:
    """Minutes associations held premises: with a free-use reason, or rented (at the recorded rent)."""

    free_minutes: int = 0
    rented_minutes: int = 0
    rent_cents: int = 0

    @property
    def minutes(self) -> int:
        return self.free_minutes + self.rented_minutes


@dataclass(frozen=True)
class FacilityUsage:
    facility_id: uuid.UUID
    facility_name: str
    department_code: str
    total: UsageFigures
    months: dict[int, UsageFigures] = field(default_factory=dict)  # 1..12, the months with any use


@dataclass(frozen=True)
class UsageReport:
    year: int
    department_code: str | None
    facilities: list[FacilityUsage]
    months: dict[int, UsageFigures]  # every facility together
    total: UsageFigures


def hours(minutes: int) -> float:
    """Hours to two decimals (90 minutes are 1.5 hours)."""
    return round(minutes / 60, 2)

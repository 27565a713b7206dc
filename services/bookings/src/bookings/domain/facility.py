"""A facility (tila): premises a department manages, with its rules, opening hours and price."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from bookings.domain.opening import Hours, OpeningHours
from bookings.domain.pricing import Pricing
from bookings.domain.rules import BookingRules
from shared.errors import InvalidInput

# What the managing department may change on a facility it has registered; its department stays.
REVISABLE = frozenset(
    {
        "name",
        "address",
        "capacity",
        "contact_id",
        "accessibility",
        "equipment",
        "purposes",
        "rules",
        "pricing",
        "weekly_hours",
        "closed_on_holidays",
    }
)


@dataclass
class Facility:
    id: uuid.UUID
    name: str
    department_code: str
    address: str
    capacity: int
    contact_id: uuid.UUID | None = None  # the directory's facility_contact who answers for it
    accessibility: str | None = None
    equipment: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    rules: BookingRules = field(default_factory=BookingRules)
    pricing: Pricing = field(default_factory=Pricing)
    weekly_hours: dict[str, Hours] = field(default_factory=dict)
    closed_on_holidays: bool = True
    active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def validate(self) -> None:
        if self.capacity <= 0:
            raise InvalidInput("A facility holds at least one person.", field="capacity")
        self.rules.validate()
        self.pricing.validate()
        self.opening_hours({}).validate()

    def revised(self, changes: dict[str, object]) -> Facility:
        """The facility with its descriptive data, rules, price or weekly hours changed, checked as a whole.
        Bookings already made keep the rules and the price they were made under."""
        unknown = set(changes) - REVISABLE
        if unknown:
            name = sorted(unknown)[0]
            raise InvalidInput("This field of a facility is not changed.", field=name)
        revised = dataclasses.replace(self, **changes)  # type: ignore[arg-type]
        revised.validate()
        return revised

    def opening_hours(self, exceptions: dict[date, object]) -> OpeningHours:
        return OpeningHours(self.weekly_hours, exceptions, self.closed_on_holidays)  # type: ignore[arg-type]


@dataclass
class FreeUseGrant:
    """The managing department granted an association free use of its premises (one facility or all)."""

    id: uuid.UUID
    department_code: str
    applicant_id: uuid.UUID
    facility_id: uuid.UUID | None
    valid_from: date
    valid_until: date
    reason: str
    created_at: datetime | None = None

    def covers(self, facility: Facility, day: date) -> bool:
        return (
            self.department_code == facility.department_code
            and self.facility_id in (None, facility.id)
            and self.valid_from <= day <= self.valid_until
        )


@dataclass
class PartnershipCopy:
    """A partnership agreement as grants told bookings: its premises terms and its period."""

    id: uuid.UUID
    applicant_id: uuid.UUID
    department_code: str | None  # None: only the agreement's end is known yet
    starts_on: date | None
    ends_on: date | None
    free_premises: bool
    facility_ids: list[uuid.UUID]
    ended_on: date | None = None

    def covers(self, facility: Facility, day: date) -> bool:
        if self.starts_on is None or self.ends_on is None:
            return False
        last = min(self.ends_on, self.ended_on) if self.ended_on else self.ends_on
        return (
            self.free_premises
            and self.department_code == facility.department_code
            and (not self.facility_ids or facility.id in self.facility_ids)
            and self.starts_on <= day <= last
        )

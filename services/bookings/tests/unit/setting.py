"""The scene the use-case tests play on: a fake unit of work holding one facility and one active association."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bookings.adapters.copies import ApplicantCopy
from bookings.domain.facility import Facility
from bookings.domain.opening import WEEKDAYS, Hours
from bookings.domain.pricing import Pricing
from bookings.domain.rules import BookingRules
from bookings.service_layer import requests
from bookings.service_layer.requests import BookingView, SlotRequest
from shared.auth import Principal, Role
from shared.contracts.directory import ApplicantKind
from shared.localtime import local_moment
from shared.testing.clock import MovableClock

from ..fakes import FakeBookingsUnitOfWork

NOW = datetime(2027, 8, 2, 9, 0, tzinfo=UTC)  # a Monday morning in August, before the autumn season
DEPARTMENT = "culture"
TUESDAY = date(2027, 9, 7)  # the first Tuesday of the season: 36 days after NOW


def representative(*applicant_ids: uuid.UUID) -> Principal:
    return Principal(subject="rep", role=Role.ASSOCIATION, association_ids=frozenset(applicant_ids))


def staff(department: str = DEPARTMENT) -> Principal:
    return Principal(subject=f"staff-{department}", role=Role.STAFF, department=department)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Helsinki wall-clock time as the UTC moment the use cases take."""
    return local_moment(day, time(hour, minute))


@dataclass
class Setting:
    uow: FakeBookingsUnitOfWork
    clock: MovableClock
    facility: Facility
    applicant_id: uuid.UUID

    @property
    def me(self) -> Principal:
        return representative(self.applicant_id)

    async def association(self, kind: ApplicantKind = ApplicantKind.REGISTERED_ASSOCIATION) -> uuid.UUID:
        applicant_id = uuid.uuid4()
        await self.uow.applicants.apply_state(applicant_id, kind=kind, name="Toinen Seura ry", active=True, revision=1)
        return applicant_id

    def slot(
        self,
        day: date = TUESDAY,
        hours: tuple[int, int] = (18, 20),
        *,
        applicant_id: uuid.UUID | None = None,
        repeat_until: date | None = None,
        skip_days: frozenset[date] = frozenset(),
    ) -> SlotRequest:
        return SlotRequest(
            facility_id=self.facility.id,
            applicant_id=applicant_id or self.applicant_id,
            starts_at=at(day, hours[0]),
            ends_at=at(day, hours[1]),
            repeat_until=repeat_until,
            skip_days=skip_days,
        )

    async def request(
        self, slot: SlotRequest | None = None, *, actor: Principal | None = None, accepts_terms: bool = True
    ) -> BookingView:
        slot = slot or self.slot()
        return await requests.request_booking(
            self.uow,
            actor=actor or representative(slot.applicant_id),
            slot=slot,
            accepts_terms=accepts_terms,
            purpose="Kuoroharjoitus",
        )

    async def change_facility(self, **changes: Any) -> None:
        rules = changes.pop("rules", None)
        self.facility = replace(self.facility, **changes)
        if rules:
            self.facility = replace(self.facility, rules=replace(self.facility.rules, **rules))
        await self.uow.facilities.save(self.facility)

    def state(self) -> tuple[int, int, int]:
        """Commits, bookings and occurrences held: a refused request leaves all three as they were."""
        return self.uow.commits, len(self.uow.bookings.rows), len(self.uow.occurrences.rows)


async def setting(**rules: Any) -> Setting:
    """A hall open 08–22 every day, 1–4 h bookings on the half hour, 20 €/h, approval needed, free cancellation
    until 7 days before; ``rules`` override the booking rules."""
    clock = MovableClock(NOW)
    uow = FakeBookingsUnitOfWork(clock)
    facility = Facility(
        id=uuid.uuid4(),
        name="Juhlasali",
        department_code=DEPARTMENT,
        address="Hallituskatu 9, 28100 Pori",
        capacity=40,
        rules=replace(BookingRules(window_opens_days=365, window_closes_hours=24), **rules),
        pricing=Pricing(hourly_cents=2000),
        weekly_hours={d: Hours(time(8), time(22)) for d in WEEKDAYS},
    )
    await uow.facilities.add(facility)
    made = Setting(uow, clock, facility, uuid.uuid4())
    await uow.applicants.add(ApplicantCopy(made.applicant_id, ApplicantKind.REGISTERED_ASSOCIATION, "Kuoro ry", True))
    return made


def weeks(first: date, count: int) -> list[date]:
    return [first + timedelta(weeks=n) for n in range(count)]

"""The plan of a booking before it is made: each occurrence, whether it can be booked, and its price.

The quote endpoint shows this plan (occurrences that conflict or fall on closures one by one), and requesting
the booking computes it again inside the request's transaction. Everything it needs is in bookings' own
database (its copies of the directory and of grants' partnerships): no other service is called.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bookings.adapters.copies import ApplicantCopy
from bookings.domain import recurrence
from bookings.domain.booking import Occurrence
from bookings.domain.facility import Facility
from bookings.domain.opening import OpeningException
from bookings.domain.pricing import FreeUseReason, Quote, quote
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.errors import InvalidInput
from shared.localtime import as_local, local_date, local_moment


@dataclass(frozen=True)
class PlannedOccurrence:
    day: date
    starts_at: datetime | None
    ends_at: datetime | None
    price_cents: int
    problem: str | None = None  # why it cannot be booked; None when it can
    taken: bool = False  # the problem is another booking (a 409, not a 422)
    skipped: bool = False  # left out of the series on request
    over_quota: bool = False  # the problem is the association's weekly quota at the facility

    @property
    def bookable(self) -> bool:
        return self.problem is None and not self.skipped


@dataclass(frozen=True)
class Plan:
    facility: Facility
    applicant: ApplicantCopy | None
    hourly_cents: int
    free_use_reason: FreeUseReason | None
    occurrences: list[PlannedOccurrence]
    series: bool

    @property
    def booker_kind(self) -> str | None:
        return self.applicant.kind.value if self.applicant and self.applicant.kind else None

    @property
    def price_cents(self) -> int:
        return sum(o.price_cents for o in self.occurrences if o.bookable)

    @property
    def problems(self) -> list[PlannedOccurrence]:
        return [o for o in self.occurrences if not o.skipped and o.problem is not None]

    def occurrences_of(self, booking_id: uuid.UUID) -> list[Occurrence]:
        """The occurrences the booking holds: each bookable one, blocking the facility's buffer after it."""
        return [
            Occurrence(
                id=uuid.uuid4(),
                booking_id=booking_id,
                facility_id=self.facility.id,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                blocked_until=o.ends_at + self.facility.rules.buffer,
                price_cents=o.price_cents,
            )
            for o in self.occurrences
            if o.bookable and o.starts_at is not None and o.ends_at is not None
        ]


async def make_plan(
    uow: BookingsUnitOfWork,
    *,
    facility: Facility,
    applicant: ApplicantCopy | None,
    starts_at: datetime,
    ends_at: datetime,
    repeat_until: date | None,
    skip_days: frozenset[date],
    now: datetime,
    within_window: bool = True,
) -> Plan:
    """Inside the caller's unit of work: the slots, checked against the rules, the hours and other bookings.

    ``within_window=False`` leaves out the booking window (a published seasonal allocation is decided ahead)."""
    slots = series_slots(facility, starts_at, ends_at, repeat_until, skip_days)
    exceptions = await uow.exceptions.between(facility.id, slots[0].day, slots[-1].day)
    granted, partnership = await _free_use(uow, facility, applicant, local_date(starts_at))
    quota = await QuotaLedger.load(uow, facility, applicant, slots)
    problems = slot_problems(facility, exceptions, slots, skip_days, now, within_window)
    spans = spans_to_check(facility, slots, problems)
    taken = await uow.occurrences.taken_any(facility.id, list(spans.values()))
    clashes = first_clashes(spans, [(o.starts_at, o.ends_at, o.blocked_until) for o in taken])
    price = price_of(facility, applicant, starts_at, ends_at, granted, partnership)
    return assemble(facility, applicant, price, slots, skip_days, problems, clashes, quota, repeat_until is not None)


# -- the steps of a plan, apart from the queries (a published season reads them for all its slots at once) ----
Held = tuple[datetime, datetime, datetime]  # an active occurrence's start, end and blocked-until


def series_slots(
    facility: Facility, starts_at: datetime, ends_at: datetime, repeat_until: date | None, skip_days: frozenset[date]
) -> list[recurrence.Slot]:
    """The slot, or every week's slot of the series, after the facility's rules for one slot."""
    facility.rules.check_slot(starts_at, ends_at)
    first_day = local_date(starts_at)
    if repeat_until is None:
        slots = [recurrence.Slot(first_day, starts_at, ends_at)]
    else:
        slots = recurrence.weekly(first_day, repeat_until, as_local(starts_at).time(), as_local(ends_at).time())
    if unknown := skip_days - {s.day for s in slots}:
        raise InvalidInput(f"Not a day of this series: {min(unknown)}.", field="skip_days")
    return slots


def slot_problems(
    facility: Facility,
    exceptions: dict[date, OpeningException],
    slots: list[recurrence.Slot],
    skip_days: frozenset[date],
    now: datetime,
    within_window: bool,
) -> dict[date, str | None]:
    """Per day asked for: outside the booking window or the opening hours (exceptions and holidays included)."""
    rules, opening = facility.rules, facility.opening_hours(exceptions)  # type: ignore[arg-type]
    problems: dict[date, str | None] = {}
    for slot in slots:
        if slot.day not in skip_days and slot.starts_at is not None and slot.ends_at is not None:
            outside = rules.outside_window(slot.starts_at, now) if within_window else None
            problems[slot.day] = outside or opening.why_closed(slot.starts_at, slot.ends_at)
    return problems


def spans_to_check(
    facility: Facility, slots: list[recurrence.Slot], problems: dict[date, str | None]
) -> dict[date, tuple[datetime, datetime]]:
    """The time each otherwise bookable slot holds the facility, its buffer included: checked for clashes."""
    buffer = facility.rules.buffer
    return {
        s.day: (s.starts_at, s.ends_at + buffer)
        for s in slots
        if s.day in problems and problems[s.day] is None and s.starts_at and s.ends_at
    }


def first_clashes(spans: dict[date, tuple[datetime, datetime]], taken: list[Held]) -> dict[date, Held]:
    """Each span's first clashing occurrence (``taken`` by start)."""
    found: dict[date, Held] = {}
    for day, (starts_at, until) in spans.items():
        if (clash := next((o for o in taken if o[0] < until and starts_at < o[2]), None)) is not None:
            found[day] = clash
    return found


def price_of(
    facility: Facility,
    applicant: ApplicantCopy | None,
    starts_at: datetime,
    ends_at: datetime,
    granted: bool,
    partnership: bool,
) -> Quote:
    kind = applicant.kind.value if applicant and applicant.kind else None
    return quote(facility.pricing, booker_kind=kind, starts_at=starts_at, ends_at=ends_at, granted=granted,
                 partnership=partnership)  # fmt: skip


def assemble(
    facility: Facility,
    applicant: ApplicantCopy | None,
    price: Quote,
    slots: list[recurrence.Slot],
    skip_days: frozenset[date],
    problems: dict[date, str | None],
    clashes: dict[date, Held],
    quota: QuotaLedger,
    series: bool,
) -> Plan:
    """The plan: each slot bookable or why not (a clash is a 409), the weekly quota taken as it goes."""
    planned = []
    for slot in slots:
        if slot.day in skip_days:
            planned.append(PlannedOccurrence(slot.day, slot.starts_at, slot.ends_at, 0, skipped=True))
            continue
        if slot.starts_at is None or slot.ends_at is None:
            planned.append(PlannedOccurrence(slot.day, None, None, 0, problem=slot.problem))
            continue
        problem, taken = problems[slot.day], False
        if problem is None and (clash := clashes.get(slot.day)) is not None:
            s, e = as_local(clash[0]), as_local(clash[1])
            problem, taken = f"already booked {s:%H:%M}–{e:%H:%M}", True
        over = False
        if problem is None:
            problem = quota.take(slot.starts_at, slot.ends_at)
            over = problem is not None
        planned.append(PlannedOccurrence(slot.day, slot.starts_at, slot.ends_at, price.price_cents, problem, taken,
                                         over_quota=over))  # fmt: skip
    return Plan(facility, applicant, price.hourly_cents, price.free_use_reason, planned, series)


async def _free_use(
    uow: BookingsUnitOfWork, facility: Facility, applicant: ApplicantCopy | None, day: date
) -> tuple[bool, bool]:
    """Whether the department granted the applicant free use, and whether a partnership includes it."""
    if applicant is None:
        return False, False
    grants = await uow.free_use.of_applicant(applicant.id, facility.department_code)
    partnerships = await uow.partnerships.of_applicant(applicant.id, facility.department_code)
    return any(g.covers(facility, day) for g in grants), any(p.covers(facility, day) for p in partnerships)


class QuotaLedger:
    """The association's minutes per week (Monday to Sunday, local) at the facility, as the plan adds slots."""

    def __init__(self, quota: int | None, used: dict[date, int]) -> None:
        self.quota, self.used = quota, used

    @classmethod
    def of(cls, facility: Facility, applicant: ApplicantCopy | None, used: dict[date, int]) -> QuotaLedger:
        """The ledger from minutes already read (a week missing from ``used`` has none)."""
        quota = facility.rules.weekly_quota_minutes
        return cls(quota if applicant is not None else None, defaultdict(int, used))

    @classmethod
    async def load(
        cls, uow: BookingsUnitOfWork, facility: Facility, applicant: ApplicantCopy | None, slots: list[recurrence.Slot]
    ) -> QuotaLedger:
        quota = facility.rules.weekly_quota_minutes
        used: dict[date, int] = defaultdict(int)
        if quota is None or applicant is None:
            return cls(None, used)
        for monday in {_monday(s.day) for s in slots}:
            used[monday] = await uow.occurrences.minutes_of_applicant(
                facility.id,
                applicant.id,
                local_moment(monday, datetime.min.time()),
                local_moment(monday + timedelta(days=7), datetime.min.time()),
            )
        return cls(quota, used)

    def take(self, starts_at: datetime, ends_at: datetime) -> str | None:
        if self.quota is None:
            return None
        monday, minutes = _monday(local_date(starts_at)), int((ends_at - starts_at) / timedelta(minutes=1))
        if self.used[monday] + minutes > self.quota:
            return f"over the weekly quota of {self.quota} minutes"
        self.used[monday] += minutes
        return None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())

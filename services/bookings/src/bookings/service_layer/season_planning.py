"""Planning a round's published slots as confirmed weekly series: every slot at once, in a few queries.

Each slot is planned exactly as an association's own weekly series for the season would be (``planning``'s
steps: the facility's rules, its opening hours and holidays, other bookings, the weekly quota, its price or
the association's free use), only without the booking window; what a plan reads from the database is read
for all the slots together: the associations, the facilities' exceptions, the free-use grants and
partnerships, the quota minutes already held and the clashing occurrences (one query each, however many slots
the round has). The slots of one association at one facility share its weekly quota, as if booked one by one.
A slot that cannot be published (a clash, a week over the quota) refuses the whole publication, naming the
slot; only the days the facility is closed (holidays, exceptions) are left out of its series.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bookings.adapters.copies import ApplicantCopy
from bookings.domain import recurrence
from bookings.domain.allocation_model import WEEKDAYS
from bookings.domain.booking import Booking, BookingKind, BookingState, Occurrence
from bookings.domain.facility import Facility
from bookings.domain.season_proposal import ProposedSlot
from bookings.domain.season_round import SeasonRound
from bookings.service_layer.planning import (
    Held,
    Plan,
    QuotaLedger,
    assemble,
    price_of,
    series_slots,
    slot_problems,
    spans_to_check,
)
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.errors import Conflict, DomainError
from shared.localtime import local_moment


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def first_day(round_: SeasonRound, weekday: str) -> date:
    """The season's first day on the slot's weekday."""
    start = round_.season_starts_on
    return start + timedelta(days=(WEEKDAYS.index(weekday) - start.weekday()) % 7)


def named(slot: ProposedSlot, facility: Facility, what: str) -> Conflict:
    at = f"{facility.name} {slot.weekday} {clock(slot.start)}–{clock(slot.end)}"
    return Conflict(f"The slot {slot.id} ({at}) cannot be published: {what}", field=f"slots.{slot.id}")


@dataclass(frozen=True)
class SlotSeries:
    """A published slot as the confirmed weekly series it becomes."""

    slot: ProposedSlot
    facility: Facility
    booking: Booking
    occurrences: list[Occurrence]


@dataclass(frozen=True)
class _Asked:
    slot: ProposedSlot
    facility: Facility
    applicant: ApplicantCopy
    starts_at: datetime
    ends_at: datetime
    weeks: list[recurrence.Slot]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _asked(
    round_: SeasonRound,
    slot: ProposedSlot,
    facilities: dict[uuid.UUID, Facility],
    applicants: dict[uuid.UUID, ApplicantCopy],
) -> _Asked:
    facility = facilities.get(slot.facility_id)
    if facility is None or not facility.active:
        raise Conflict(f"The slot {slot.id}'s facility is no longer active.", field=f"slots.{slot.id}")
    applicant = applicants.get(slot.applicant_id)
    if applicant is None or not applicant.may_book:
        raise named(slot, facility, "the association is not active in the directory.")
    first = first_day(round_, slot.weekday)
    if first > round_.season_ends_on:
        raise named(slot, facility, "the season has no such weekday.")
    starts_at, ends_at = local_moment(first, _time(slot.start)), local_moment(first, _time(slot.end))
    try:
        weeks = series_slots(facility, starts_at, ends_at, round_.season_ends_on, frozenset())
    except DomainError as refused:
        raise named(slot, facility, str(refused)) from refused
    return _Asked(slot, facility, applicant, starts_at, ends_at, weeks)


async def plan_season(
    uow: BookingsUnitOfWork,
    actor: Principal,
    round_: SeasonRound,
    slots: list[ProposedSlot],
    facilities: dict[uuid.UUID, Facility],
) -> list[SlotSeries]:
    """Every slot as its confirmed weekly series through the season, planned and priced like a booking."""
    now = uow.clock()
    applicants = await uow.applicants.by_ids({s.applicant_id for s in slots})
    asked = [_asked(round_, s, facilities, applicants) for s in slots]
    places, who = {a.facility.id for a in asked}, {a.applicant.id for a in asked}
    departments = {a.facility.department_code for a in asked}
    first, last = round_.season_starts_on, round_.season_ends_on
    exceptions = await uow.exceptions.between_all(places, first, last)
    grants = await uow.free_use.of_applicants(who, departments)
    partnerships = await uow.partnerships.of_applicants(who, departments)
    with_quota = {f for f in places if facilities[f].rules.weekly_quota_minutes is not None}
    midnight = datetime.min.time()
    used = await uow.occurrences.minutes_by_week(
        with_quota, who, local_moment(_monday(first), midnight), local_moment(_monday(last) + timedelta(7), midnight)
    )
    problems = [slot_problems(a.facility, exceptions[a.facility.id], a.weeks, frozenset(), now, False) for a in asked]
    spans = [spans_to_check(a.facility, a.weeks, p) for a, p in zip(asked, problems, strict=True)]
    flat = [(a.facility.id, (day, span)) for a, s in zip(asked, spans, strict=True) for day, span in s.items()]
    taken = await uow.occurrences.taken_among([(f, s, u) for f, (_, (s, u)) in flat])
    clashes: list[dict[date, Held]] = [{} for _ in asked]
    index = 0
    for n, s in enumerate(spans):
        for day in s:
            if taken.get(index):
                clashes[n][day] = taken[index][0]
            index += 1
    ledgers: dict[tuple[uuid.UUID, uuid.UUID], QuotaLedger] = {}
    planned = []
    for a, p, c in zip(asked, problems, clashes, strict=True):
        key = (a.facility.id, a.applicant.id)
        ledger = ledgers.setdefault(key, QuotaLedger.of(a.facility, a.applicant, used.get(key, {})))
        day = a.weeks[0].day
        granted = any(g.applicant_id == a.applicant.id and g.covers(a.facility, day) for g in grants)
        partner = any(x.applicant_id == a.applicant.id and x.covers(a.facility, day) for x in partnerships)
        price = price_of(a.facility, a.applicant, a.starts_at, a.ends_at, granted, partner)
        plan = assemble(a.facility, a.applicant, price, a.weeks, frozenset(), p, c, ledger, True)
        planned.append(_series(actor, round_, a, plan, now))
    return planned


def _series(actor: Principal, round_: SeasonRound, a: _Asked, plan: Plan, now: datetime) -> SlotSeries:
    slot, facility = a.slot, a.facility
    if taken := next((o for o in plan.problems if o.taken), None):
        raise named(slot, facility, f"on {taken.day.isoformat()} the facility is {taken.problem}.")
    if over := next((o for o in plan.problems if o.over_quota), None):  # other slots of the round included
        raise named(slot, facility, f"on {over.day.isoformat()} the association would be {over.problem}.")
    kept = [o for o in plan.occurrences if o.bookable and o.starts_at is not None and o.ends_at is not None]
    if not kept:
        why = next((o.problem for o in plan.problems), None) or "the facility is closed"
        raise named(slot, facility, f"none of its days can be booked: {why}.")
    booking = Booking(
        id=uuid.uuid4(),
        facility_id=facility.id,
        department_code=facility.department_code,
        kind=BookingKind.SERIES,
        state=BookingState.CONFIRMED,
        applicant_id=slot.applicant_id,
        applicant_kind=plan.booker_kind,
        hourly_cents=plan.hourly_cents,
        free_use_reason=plan.free_use_reason,
        requested_by=actor.subject,
        purpose=round_.name,
        local_starts=_time(slot.start),
        local_ends=_time(slot.end),
        first_day=plan.occurrences[0].day,
        last_day=plan.occurrences[-1].day,
        skipped_days=[o.day for o in plan.occurrences if not o.bookable],
        decided_at=now,
    )
    occurrences = plan.occurrences_of(booking.id)
    return SlotSeries(slot, facility, booking, occurrences)


def clash_named(planned: list[SlotSeries], taken: Conflict) -> Conflict:
    """The exclusion constraint's refusal of the insert, naming a slot whose series holds the time it reported."""
    starts_at, ends_at = getattr(taken, "starts_at", None), getattr(taken, "ends_at", None)
    for s in planned:
        if starts_at and ends_at and any(o.starts_at < ends_at and starts_at < o.blocked_until for o in s.occurrences):
            return named(s.slot, s.facility, str(taken))
    return Conflict(f"The allocation cannot be published: {taken}", field="slots")

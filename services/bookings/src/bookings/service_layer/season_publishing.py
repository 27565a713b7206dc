"""Publishing a round's allocation: every allocated slot becomes a confirmed weekly series, in one transaction.

Each slot is planned like an association's own request for the season (``planning.make_plan``: the facility's
rules, opening hours and holidays, its price or the association's free use), only without the booking
window, and confirmed at once. A day the facility is closed (a holiday) is left out of the series; a clash
with another booking aborts the whole publication with a 409 naming the slot, and the exclusion constraint
still guards the insert. Each applicant is told once (``SeasonAllocationPublished`` with all its slots, and
one ``BookingConfirmed`` per series, as for any booking); publishing again does nothing. After publication
an association may decline a slot: its series is cancelled and the time is free again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from bookings.domain import season_allocation as allocation
from bookings.domain.allocation_model import WEEKDAYS
from bookings.domain.booking import Booking, BookingKind, BookingState, Occurrence
from bookings.domain.facility import Facility
from bookings.domain.season_proposal import ProposedSlot, SeasonProposal
from bookings.domain.season_round import ApplicationState, SeasonRound, SeasonRoundState
from bookings.service_layer import events
from bookings.service_layer.access import represents
from bookings.service_layer.planning import make_plan
from bookings.service_layer.season_rounds import _visible, round_for_staff
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.contracts.bookings import SeasonAllocationPublished, SeasonSlot
from shared.errors import Conflict, DomainError, NotFound
from shared.localtime import local_moment

DECLINED = "declined by the association in the seasonal round"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def first_day(round_: SeasonRound, weekday: str) -> date:
    """The season's first day on the slot's weekday."""
    start = round_.season_starts_on
    return start + timedelta(days=(WEEKDAYS.index(weekday) - start.weekday()) % 7)


def _named(slot: ProposedSlot, facility: Facility, what: str) -> Conflict:
    at = f"{facility.name} {slot.weekday} {_clock(slot.start)}–{_clock(slot.end)}"
    return Conflict(f"The slot {slot.id} ({at}) cannot be published: {what}", field=f"slots.{slot.id}")


async def _series(
    uow: BookingsUnitOfWork, actor: Principal, round_: SeasonRound, slot: ProposedSlot, facility: Facility
) -> tuple[Booking, list[Occurrence]]:
    """The slot as a confirmed weekly series through the season, planned and priced like a booking."""
    now = uow.clock()
    applicant = await uow.applicants.get(slot.applicant_id)
    if applicant is None or not applicant.may_book:
        raise _named(slot, facility, "the association is not active in the directory.")
    first = first_day(round_, slot.weekday)
    if first > round_.season_ends_on:
        raise _named(slot, facility, "the season has no such weekday.")
    starts_at, ends_at = local_moment(first, _time(slot.start)), local_moment(first, _time(slot.end))
    try:
        plan = await make_plan(
            uow,
            facility=facility,
            applicant=applicant,
            starts_at=starts_at,
            ends_at=ends_at,
            repeat_until=round_.season_ends_on,
            skip_days=frozenset(),
            now=now,
            within_window=False,
        )
    except DomainError as refused:
        raise _named(slot, facility, str(refused)) from refused
    if taken := next((o for o in plan.problems if o.taken), None):
        raise _named(slot, facility, f"on {taken.day.isoformat()} the facility is {taken.problem}.")
    kept = [o for o in plan.occurrences if o.bookable and o.starts_at is not None and o.ends_at is not None]
    if not kept:
        raise _named(slot, facility, "the facility is closed on every one of its days.")
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
    occurrences = [
        Occurrence(
            id=uuid.uuid4(),
            booking_id=booking.id,
            facility_id=facility.id,
            starts_at=o.starts_at,
            ends_at=o.ends_at,
            blocked_until=o.ends_at + facility.rules.buffer,
            price_cents=o.price_cents,
        )
        for o in kept
        if o.starts_at is not None and o.ends_at is not None
    ]
    await uow.bookings.add(booking)
    try:
        await uow.occurrences.add_all(occurrences)
    except Conflict as taken_meanwhile:
        raise _named(slot, facility, str(taken_meanwhile)) from taken_meanwhile
    return booking, occurrences


async def publish(uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID) -> SeasonProposal:
    """Every allocated slot a confirmed series, each applicant told once; a second time changes nothing."""
    async with uow:
        round_ = await round_for_staff(uow, actor, round_id)
        proposal = await uow.season_proposals.get(round_.id)
        if round_.state is SeasonRoundState.PUBLISHED and proposal is not None:
            return proposal
        if proposal is None:
            raise NotFound("The round has no proposal yet.", field="round_id")
        round_.publish()
        facilities = await uow.facilities.by_ids(set(round_.facility_ids))
        applications = await uow.season_applications.of_round(round_.id, state=ApplicationState.SUBMITTED)
        per_applicant: dict[uuid.UUID, list[SeasonSlot]] = {a.applicant_id: [] for a in applications}
        published = []
        for slot in proposal.slots:
            facility = facilities.get(slot.facility_id)
            if facility is None or not facility.active:
                raise Conflict(f"The slot {slot.id}'s facility is no longer active.", field=f"slots.{slot.id}")
            booking, occurrences = await _series(uow, actor, round_, slot, facility)
            uow.emit(events.confirmed(booking, occurrences, season_round_id=round_.id))
            published.append(_with_booking(slot, booking.id))
            assert booking.first_day is not None and booking.last_day is not None
            per_applicant.setdefault(slot.applicant_id, []).append(
                SeasonSlot(slot_id=slot.id, booking_id=booking.id, facility_id=facility.id, weekday=slot.weekday,
                           starts=_clock(slot.start), ends=_clock(slot.end), first_day=booking.first_day,
                           last_day=booking.last_day, facility_name=facility.name)
            )  # fmt: skip
        for applicant_id, slots in per_applicant.items():
            uow.emit(
                SeasonAllocationPublished(
                    round_id=round_.id, department_code=round_.department_code, applicant_id=applicant_id, slots=slots
                )
            )
        proposal.slots, proposal.published_at = published, uow.clock()
        await uow.season_proposals.put(proposal)
        await uow.season_rounds.save(round_)
        await uow.commit()
    return proposal


def _with_booking(slot: ProposedSlot, booking_id: uuid.UUID) -> ProposedSlot:
    return replace(slot, booking_id=booking_id)


async def decline_slot(
    uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, slot_id: uuid.UUID
) -> SeasonProposal:
    """The association gives a published slot back: its series is cancelled (free of charge) and the time freed."""
    now = uow.clock()
    async with uow:
        round_ = _visible(actor, await uow.season_rounds.get(round_id, for_update=True))
        proposal = await uow.season_proposals.get(round_.id)
        slot = next((s for s in proposal.slots if s.id == slot_id), None) if proposal else None
        if proposal is None or slot is None or not represents(actor, slot.applicant_id):
            raise NotFound("No such slot of your association in the round.", field="slot_id")
        if round_.state is not SeasonRoundState.PUBLISHED or slot.booking_id is None:
            raise Conflict("Only a published slot can be declined.", field="slot_id")
        if slot.declined:
            raise Conflict("The slot is already declined.", field="slot_id")
        booking = await uow.bookings.get(slot.booking_id)
        if booking is not None and booking.active:
            booking.cancel(now, DECLINED)
            await uow.bookings.save(booking)
            cancelled = []
            for o in await uow.occurrences.of_booking(booking.id):
                if o.active:
                    o.active, o.cancelled_at = False, now
                    await uow.occurrences.save(o)
                    cancelled.append(o)
            uow.emit(events.cancelled(booking, cancelled, whole=True))
        proposal.slots = [replace(s, declined=True) if s.id == slot_id else s for s in proposal.slots]
        applications = await uow.season_applications.of_round(round_.id, state=ApplicationState.SUBMITTED)
        allocation.recount(proposal, applications)
        await uow.season_proposals.put(proposal)
        await uow.commit()
    return proposal


@dataclass(frozen=True)
class Result:
    association: str
    facility: str
    weekday: str
    starts: str
    ends: str


async def results(uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID) -> list[Result]:
    """The published decisions, for everyone: association, facility, weekday and time (declined slots left out)."""
    async with uow:
        round_ = _visible(actor, await uow.season_rounds.get(round_id))
        proposal = await uow.season_proposals.get(round_.id)
        if round_.state is not SeasonRoundState.PUBLISHED or proposal is None:
            raise NotFound("The round's results are not published yet.", field="round_id")
        facilities = await uow.facilities.by_ids(set(round_.facility_ids))
        names: dict[uuid.UUID, str] = defaultdict(str)
        for applicant_id in {s.applicant_id for s in proposal.slots}:
            copy = await uow.applicants.get(applicant_id)
            names[applicant_id] = (copy.name if copy else None) or "–"
        found = [
            Result(names[s.applicant_id], facilities[s.facility_id].name if s.facility_id in facilities else "–",
                   s.weekday, _clock(s.start), _clock(s.end))
            for s in proposal.slots
            if not s.declined
        ]  # fmt: skip
    return sorted(found, key=lambda r: (r.facility, WEEKDAYS.index(r.weekday), r.starts))

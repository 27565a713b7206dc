"""Publishing a round's allocation: every allocated slot becomes a confirmed weekly series, in one transaction.

Each slot is planned like an association's own request for the season (``season_planning``: the facility's
rules, opening hours and holidays, its price or the association's free use), only without the booking
window, and confirmed at once; what the plans read is read for all slots together, and all the series and
their occurrences are inserted in one statement each, so publishing sends a constant number of statements
however many slots the round has. A day the facility is closed (a holiday) is left out of the series; a clash
with another booking aborts the whole publication with a 409 naming the slot, and the exclusion constraint
still guards the insert. Each applicant is told once (``SeasonAllocationPublished`` with all its slots, and
one ``BookingConfirmed`` per series, as for any booking); publishing again does nothing. After publication
an association may decline a slot: its series is cancelled and the time is free again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace

from bookings.domain import season_allocation as allocation
from bookings.domain.allocation_model import WEEKDAYS
from bookings.domain.season_proposal import ProposedSlot, SeasonProposal
from bookings.domain.season_round import ApplicationState, SeasonRoundState
from bookings.service_layer import events
from bookings.service_layer.access import represents
from bookings.service_layer.season_planning import clash_named, clock, plan_season
from bookings.service_layer.season_rounds import _visible, round_for_staff
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.contracts.bookings import SeasonAllocationPublished, SeasonSlot
from shared.errors import Conflict, NotFound

DECLINED = "declined by the association in the seasonal round"


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
        planned = await plan_season(uow, actor, round_, proposal.slots, facilities)
        await uow.bookings.add_all([s.booking for s in planned])
        try:  # one insert of every occurrence; the exclusion constraint refuses a clash that slipped in
            await uow.occurrences.add_all([o for s in planned for o in s.occurrences], recoverable=False)
        except Conflict as taken_meanwhile:
            raise clash_named(planned, taken_meanwhile) from taken_meanwhile
        published = []
        for s in planned:
            booking, slot = s.booking, s.slot
            uow.emit(events.confirmed(booking, s.occurrences, season_round_id=round_.id))
            published.append(_with_booking(slot, booking.id))
            assert booking.first_day is not None and booking.last_day is not None
            per_applicant.setdefault(slot.applicant_id, []).append(
                SeasonSlot(slot_id=slot.id, booking_id=booking.id, facility_id=slot.facility_id, weekday=slot.weekday,
                           starts=clock(slot.start), ends=clock(slot.end), first_day=booking.first_day,
                           last_day=booking.last_day, facility_name=facilities[slot.facility_id].name)
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
                   s.weekday, clock(s.start), clock(s.end))
            for s in proposal.slots
            if not s.declined
        ]  # fmt: skip
    return sorted(found, key=lambda r: (r.facility, WEEKDAYS.index(r.weekday), r.starts))

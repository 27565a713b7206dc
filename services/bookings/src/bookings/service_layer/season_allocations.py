"""Staff's hand allocation of a proposed round: assign a wish to a slot, move a slot, reject a wish.

Each change is one transaction on the round's locked row (two staff members take turns), checked against the
other allocated slots, the season's confirmed weekly series and the opening hours (``season_allocation``), and
the proposal's report is counted again before it is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bookings.domain import season_allocation as allocation
from bookings.domain.allocation_model import Busy, FacilitySpec, Weights
from bookings.domain.season_proposal import ProposedSlot, SeasonProposal, problem_of
from bookings.domain.season_round import ApplicationState, SeasonApplication, SeasonRound, SeasonRoundState, Wish
from bookings.service_layer.season_rounds import round_for_staff
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.errors import Conflict, InvalidInput, NotFound


@dataclass(frozen=True)
class Place:
    facility_id: uuid.UUID
    weekday: str
    start: int  # minutes after local midnight
    end: int


@dataclass
class _Context:
    round_: SeasonRound
    proposal: SeasonProposal
    applications: list[SeasonApplication]
    facilities: dict[uuid.UUID, FacilitySpec]
    busy: list[Busy]

    def wish(self, wish_id: uuid.UUID) -> tuple[SeasonApplication, Wish]:
        for a in self.applications:
            for w in a.wishes:
                if w.id == wish_id:
                    return a, w
        raise InvalidInput("No such wish among the round's submitted applications.", field="wish_id")


async def _context(uow: BookingsUnitOfWork, actor: Principal, round_id: uuid.UUID) -> _Context:
    round_ = await round_for_staff(uow, actor, round_id)
    if round_.state is not SeasonRoundState.PROPOSED:
        raise Conflict(f"Slots are allocated by hand once a proposal is computed; this round is {round_.state.value}.")
    proposal = await uow.season_proposals.get(round_.id)
    if proposal is None:
        raise NotFound("The round has no proposal yet.", field="round_id")
    allocation.ensure_editable(proposal)
    facilities = await uow.facilities.by_ids(set(round_.facility_ids))
    applications = await uow.season_applications.of_round(round_.id, state=ApplicationState.SUBMITTED)
    series = await uow.season_rounds.weekly_series(round_)
    problem = problem_of(round_, facilities, [], Weights(), series)
    return _Context(round_, proposal, applications, {f.id: f for f in problem.facilities}, problem.busy)


async def _store(uow: BookingsUnitOfWork, c: _Context) -> SeasonProposal:
    allocation.recount(c.proposal, c.applications)
    await uow.season_proposals.put(c.proposal)
    await uow.commit()
    return c.proposal


async def assign_wish(
    uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, wish_id: uuid.UUID, place: Place
) -> SeasonProposal:
    async with uow:
        c = await _context(uow, actor, round_id)
        application, wish = c.wish(wish_id)
        slot = ProposedSlot(
            wish.id, application.id, application.applicant_id, place.facility_id, place.weekday, place.start, place.end
        )
        allocation.assign(c.proposal, application, wish, slot, c.facilities, c.busy)
        return await _store(uow, c)


async def move_slot(
    uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, slot_id: uuid.UUID, place: Place
) -> SeasonProposal:
    async with uow:
        c = await _context(uow, actor, round_id)
        _, wish = c.wish(allocation.slot_of(c.proposal, slot_id).wish_id)
        allocation.move(
            c.proposal,
            slot_id,
            wish,
            facility_id=place.facility_id,
            weekday=place.weekday,
            start=place.start,
            end=place.end,
            facilities=c.facilities,
            busy=c.busy,
        )
        return await _store(uow, c)


async def reject_wish(
    uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID, wish_id: uuid.UUID, reason: str
) -> SeasonProposal:
    async with uow:
        c = await _context(uow, actor, round_id)
        _, wish = c.wish(wish_id)
        allocation.reject(c.proposal, wish, reason)
        return await _store(uow, c)

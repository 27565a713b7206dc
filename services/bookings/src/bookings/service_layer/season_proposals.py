"""The allocation proposal of a closed round: the CP-SAT solver over its submitted wishes and facilities.

Staff of the round's department compute it once the application period is over; computing again replaces it.
The round's row stays locked while the solver runs (at most ``PROPOSAL_SECONDS``, off the event loop), so
two staff members asking at once get one proposal after the other, never a mix. The weights are the round's
(``SeasonRound.weights``, which staff set), recorded with the proposal so staff can read what it weighed; a
wish's continuity comes from what its association held in the department's previous published round.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from bookings.domain.allocation_solver import solve
from bookings.domain.season_continuity import LastSeason
from bookings.domain.season_proposal import SeasonProposal, problem_of, season_proposal
from bookings.domain.season_round import ApplicationState
from bookings.service_layer.season_rounds import round_for_staff
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.auth import Principal
from shared.errors import NotFound

PROPOSAL_SECONDS = 20.0  # the solver's time limit; it answers with the best it found by then


async def compute_proposal(
    uow: BookingsUnitOfWork,
    *,
    actor: Principal,
    round_id: uuid.UUID,
    now: datetime,
    time_limit: float = PROPOSAL_SECONDS,
) -> SeasonProposal:
    async with uow:
        round_ = await round_for_staff(uow, actor, round_id)
        round_.propose()
        facilities = await uow.facilities.by_ids(set(round_.facility_ids))
        applications = await uow.season_applications.of_round(round_.id, state=ApplicationState.SUBMITTED)
        series = await uow.season_rounds.weekly_series(round_)
        last_season = LastSeason(await uow.season_rounds.held_last_season(round_))
        weights = round_.weights
        problem = problem_of(round_, facilities, applications, weights, series, last_season)
        answer = await asyncio.to_thread(solve, problem, time_limit=time_limit)
        proposal = season_proposal(round_, applications, answer, weights, now)
        await uow.season_proposals.put(proposal)
        await uow.season_rounds.save(round_)
        await uow.commit()
    return proposal


async def get_proposal(uow: BookingsUnitOfWork, *, actor: Principal, round_id: uuid.UUID) -> SeasonProposal:
    async with uow:
        round_ = await round_for_staff(uow, actor, round_id, for_update=False)
        proposal = await uow.season_proposals.get(round_.id)
        if proposal is None:
            raise NotFound("The round has no proposal yet.", field="round_id")
        return proposal

"""Staff's hand allocation as domain rules: the checks of a slot by hand, a wish's weekly count, the report."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from datetime import UTC, datetime, time

import pytest

from bookings.domain import season_allocation as allocation
from bookings.domain.allocation_model import Busy, FacilitySpec, Weights
from bookings.domain.season_proposal import ProposedSlot, SeasonProposal
from bookings.domain.season_round import ApplicationState, SeasonApplication, Wish
from shared.errors import Conflict, InvalidInput

pytestmark = pytest.mark.unit
H = 60

HALL = FacilitySpec(id=uuid.uuid4(), purposes=frozenset({"gym"}), capacity=30, hours={0: (16 * H, 22 * H)}, buffer=15)


def _wish(weekly_count: int = 1) -> Wish:
    return Wish(id=uuid.uuid4(), priority=1, weekdays=("mon", "tue"), earliest=time(16), latest=time(22),
                duration_minutes=120, weekly_count=weekly_count, facility_id=HALL.id)  # fmt: skip


def _setting(*wishes: Wish) -> tuple[SeasonProposal, SeasonApplication]:
    application = SeasonApplication(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), list(wishes), ApplicationState.SUBMITTED)
    proposal = SeasonProposal(uuid.uuid4(), datetime(2027, 8, 21, tzinfo=UTC), "optimal", 0.1, 0, 0, 0, 0, 0, 0,
                              asdict(Weights()))  # fmt: skip
    return proposal, application


def _slot(a: SeasonApplication, w: Wish, start: int, end: int, weekday: str = "mon") -> ProposedSlot:
    return ProposedSlot(w.id, a.id, a.applicant_id, HALL.id, weekday, start, end)


def test_a_slot_by_hand_keeps_the_buffer_after_others_and_series_and_the_opening_hours() -> None:
    first, second = _wish(), _wish()
    proposal, a = _setting(first, second)
    facilities = {HALL.id: HALL}
    allocation.assign(proposal, a, first, _slot(a, first, 17 * H, 19 * H), facilities, [])
    with pytest.raises(Conflict):  # 19:00 is inside the 15 minutes' buffer
        allocation.assign(proposal, a, second, _slot(a, second, 19 * H, 21 * H), facilities, [])
    with pytest.raises(InvalidInput):
        allocation.assign(proposal, a, second, _slot(a, second, 20 * H, 22 * H + 30), facilities, [])
    with pytest.raises(InvalidInput):  # the hall is closed on Tuesdays
        allocation.assign(proposal, a, second, _slot(a, second, 17 * H, 19 * H, "tue"), facilities, [])
    series = [Busy(HALL.id, 0, 19 * H + 15, 20 * H + 30)]  # its end includes the buffer already
    with pytest.raises(Conflict):
        allocation.assign(proposal, a, second, _slot(a, second, 20 * H, 22 * H), facilities, series)
    allocation.assign(proposal, a, second, _slot(a, second, 20 * H + 30, 22 * H), facilities, series)
    assert len(proposal.slots) == 2


def test_a_wish_gets_at_most_its_weekly_count_one_a_day_and_the_report_follows() -> None:
    twice = _wish(weekly_count=2)
    proposal, a = _setting(twice)
    facilities = {HALL.id: HALL}
    open_tuesdays = {HALL.id: replace(HALL, hours={0: (16 * H, 22 * H), 1: (16 * H, 22 * H)})}
    monday = allocation.assign(proposal, a, twice, _slot(a, twice, 16 * H, 18 * H), facilities, [])
    with pytest.raises(Conflict):
        allocation.assign(proposal, a, twice, _slot(a, twice, 19 * H, 21 * H), facilities, [])  # Monday again
    allocation.recount(proposal, [a])
    assert (proposal.slots_met, proposal.slots_wished, proposal.wishes_met) == (1, 2, 0)
    assert proposal.share_met == 0.5
    allocation.assign(proposal, a, twice, _slot(a, twice, 16 * H, 18 * H, "tue"), open_tuesdays, [])
    allocation.recount(proposal, [a])
    assert (proposal.slots_met, proposal.wishes_met, proposal.unmet) == (2, 1, [])
    moved = allocation.move(proposal, monday.id, twice, facility_id=HALL.id, weekday="mon", start=18 * H,
                            end=20 * H, facilities=facilities, busy=[])  # fmt: skip
    assert (moved.id, moved.start) == (monday.id, 18 * H)
    allocation.reject(proposal, twice, "Ei tilaa.")
    allocation.recount(proposal, [a])
    assert proposal.slots == [] and [u.reason for u in proposal.unmet] == ["Ei tilaa."]
    with pytest.raises(InvalidInput):
        allocation.reject(proposal, twice, "  ")

"""A round's allocation proposal: its wishes and facilities as the solver's problem, and what the answer met.

The problem takes the round's facilities as they are (weekly opening hours, start steps, lengths, buffer,
weekly quota per association) and every wish of the submitted applications; the solver
(``allocation_solver.solve``) places at most each wish's weekly count of slots, never overlapping and never
outside opening hours. The report tells staff what the proposal met: slots met of those wished, wishes met in
full of all wishes, hours a week per association, and each wish not met in full with the reason; and how the
solver got there: its status, seconds, objective, the weights it used and its notes (which parts of the season
kept the greedy answer, and why). Staff's changes afterwards count the report again, not those.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, time

from bookings.domain.allocation_model import WEEKDAYS, Busy, FacilitySpec, Problem, Weights, WishSpec
from bookings.domain.allocation_solver import Proposal
from bookings.domain.facility import Facility
from bookings.domain.season_continuity import LastSeason
from bookings.domain.season_round import SeasonApplication, SeasonRound, Wish


def _minutes(w: Wish) -> tuple[int, int]:
    return Wish.minutes(w.earliest), Wish.minutes(w.latest)


def facility_spec(f: Facility) -> FacilitySpec:
    return FacilitySpec(
        id=f.id,
        purposes=frozenset(f.purposes),
        capacity=f.capacity,
        hours={
            WEEKDAYS.index(day): (Wish.minutes(h.opens), Wish.minutes(h.closes))
            for day, h in f.weekly_hours.items()
            if day in WEEKDAYS
        },
        step=f.rules.start_interval_minutes,
        min_minutes=f.rules.min_minutes,
        max_minutes=f.rules.max_minutes,
        buffer=f.rules.buffer_minutes,
        weekly_quota=f.rules.weekly_quota_minutes,
    )


def wish_spec(applicant_id: uuid.UUID, w: Wish, continuity: frozenset[tuple[uuid.UUID, int]] = frozenset()) -> WishSpec:
    earliest, latest = _minutes(w)
    return WishSpec(
        id=w.id,
        applicant_id=applicant_id,
        priority=w.priority,
        weekdays=tuple(WEEKDAYS.index(d) for d in w.weekdays),
        earliest=earliest,
        latest=latest,
        duration=w.duration_minutes,
        weekly_count=w.weekly_count,
        facility_id=w.facility_id,
        facility_kind=w.facility_kind,
        age_group=w.age_group.value,
        participants=w.participants,
        continuity=continuity,
    )


def problem_of(
    round_: SeasonRound,
    facilities: dict[uuid.UUID, Facility],
    applications: list[SeasonApplication],
    weights: Weights,
    series: Sequence[tuple[uuid.UUID, int, time, time]] = (),
    last_season: LastSeason | None = None,
) -> Problem:
    """The solver's problem; ``series`` are weekly series already confirmed there (facility, weekday, local
    start and end), kept free with the facility's buffer after each; ``last_season`` what the associations held
    in the previous published round (each wish's continuity)."""
    specs = [facility_spec(facilities[f]) for f in round_.facility_ids if f in facilities and facilities[f].active]
    held, purposes = last_season or LastSeason(), {f.id: f.purposes for f in specs}
    wishes = [
        wish_spec(a.applicant_id, w, held.continuity(a.applicant_id, w, purposes) if held else frozenset())
        for a in applications
        for w in a.wishes
    ]
    buffers = {f.id: f.buffer for f in specs}
    busy = [
        Busy(f, day, Wish.minutes(starts), Wish.minutes(ends) + buffers[f])
        for f, day, starts, ends in series
        if f in buffers
    ]
    return Problem(facilities=specs, wishes=wishes, weights=weights, busy=busy)


@dataclass(frozen=True)
class ProposedSlot:
    wish_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    facility_id: uuid.UUID
    weekday: str
    start: int  # minutes after local midnight
    end: int
    id: uuid.UUID = field(default_factory=uuid.uuid4)  # the slot's own id (staff move it, an association declines it)
    booking_id: uuid.UUID | None = None  # its confirmed series once published
    declined: bool = False  # declined by the association after publication: its series cancelled


@dataclass(frozen=True)
class RejectedWish:
    """A wish staff turned down by hand, with the reason the association is given."""

    wish_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class UnmetWish:
    wish_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    priority: int
    slots_met: int
    slots_wished: int
    reason: str


@dataclass
class SeasonProposal:
    """The stored proposal of a round (one at a time; computing again replaces it)."""

    round_id: uuid.UUID
    computed_at: datetime
    status: str  # the solver's: optimal, feasible (time limit reached) or greedy (its fallback)
    seconds: float
    weighted_demand: int
    weighted_met: int
    slots_met: int
    slots_wished: int
    wishes_met: int  # met in full
    wishes_total: int
    weights: dict[str, object]
    slots: list[ProposedSlot] = field(default_factory=list)
    unmet: list[UnmetWish] = field(default_factory=list)
    rejected: list[RejectedWish] = field(default_factory=list)
    published_at: datetime | None = None
    objective: int = 0  # the solver's score of its answer (weighted demand met plus the two bonuses)
    notes: list[str] = field(default_factory=list)  # the solver's: which parts kept the greedy answer, and why

    @property
    def share_met(self) -> float:
        return self.weighted_met / self.weighted_demand if self.weighted_demand else 1.0

    def hours_per_association(self) -> dict[uuid.UUID, float]:
        minutes: dict[uuid.UUID, int] = defaultdict(int)
        for s in self.slots:
            if s.declined:
                continue
            minutes[s.applicant_id] += s.end - s.start
        return {a: m / 60 for a, m in sorted(minutes.items(), key=lambda kv: (-kv[1], str(kv[0])))}


def season_proposal(
    round_: SeasonRound, applications: list[SeasonApplication], proposal: Proposal, weights: Weights, now: datetime
) -> SeasonProposal:
    """The solver's answer in the round's terms: each slot and each wish traced back to its application."""
    owner = {w.id: a for a in applications for w in a.wishes}
    wishes = {w.id: w for a in applications for w in a.wishes}
    slots = [
        ProposedSlot(p.wish_id, owner[p.wish_id].id, p.applicant_id, p.facility_id, WEEKDAYS[p.weekday], p.start, p.end,
                     id=uuid.uuid5(p.wish_id, WEEKDAYS[p.weekday]))  # one slot of a wish a day: the same again
        for p in sorted(proposal.placements, key=lambda p: (str(p.facility_id), p.weekday, p.start))
    ]  # fmt: skip
    met: dict[uuid.UUID, int] = defaultdict(int)
    for s in slots:
        met[s.wish_id] += 1
    unmet = [
        UnmetWish(wish_id, owner[wish_id].id, owner[wish_id].applicant_id, wishes[wish_id].priority, met[wish_id],
                  wishes[wish_id].weekly_count, reason)
        for wish_id, reason in proposal.unmet.items()
    ]  # fmt: skip
    return SeasonProposal(
        round_id=round_.id,
        computed_at=now,
        status=proposal.status,
        seconds=round(proposal.seconds, 3),
        weighted_demand=proposal.weighted_demand,
        weighted_met=proposal.weighted_met,
        slots_met=proposal.met_slots,
        slots_wished=proposal.wanted_slots,
        wishes_met=len(wishes) - len(unmet),
        wishes_total=len(wishes),
        weights=asdict(weights),
        slots=slots,
        objective=proposal.objective,
        notes=list(proposal.notes),
        unmet=sorted(unmet, key=lambda u: (str(u.applicant_id), u.priority)),
    )

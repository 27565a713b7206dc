"""The seasonal allocation problem (vakiovuorojako) as plain data: facilities' weekly hours, wishes, weights.

Times are minutes after local midnight (Europe/Helsinki wall clock) on a weekday 0 (Monday) … 6 (Sunday): a
season's weekly slot is the same wall-clock time every week, whatever the UTC offset. The weights are the
round's principles as numbers staff can read (``Weights``); the value of one met weekly slot is its minutes
times its age group's weight times its priority's weight, and the model maximises the sum (plus a bonus for
continuity with last season and for each association's fair share, see ``allocation_solver``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from shared.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class AgeGroup(StrEnum):
    CHILDREN = "children"  # under 13
    YOUTH = "youth"  # 13–28
    ADULTS = "adults"
    SENIORS = "seniors"
    MIXED = "mixed"


DEFAULT_AGE_GROUP_PERCENT = {
    AgeGroup.CHILDREN.value: 300,
    AgeGroup.YOUTH.value: 300,
    AgeGroup.MIXED.value: 150,
    AgeGroup.SENIORS.value: 120,
    AgeGroup.ADULTS.value: 100,
}


@dataclass(frozen=True)
class Weights:
    """The round's principles as numbers (percent), recorded with each principles version."""

    age_group_percent: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_AGE_GROUP_PERCENT))
    priority_step_percent: int = 20  # each later wish of an association weighs this much less …
    priority_floor_percent: int = 30  # … but never less than this
    continuity_percent: int = 30  # bonus for a slot at last season's facility on last season's weekday
    fair_share_percent: int = 50  # extra weight of each association's first fair share of minutes

    def validate(self) -> None:
        if set(self.age_group_percent) != {g.value for g in AgeGroup}:
            raise InvalidInput("Give a weight for every age group.", field="age_group_percent")
        if any(not 1 <= v <= 1000 for v in self.age_group_percent.values()):
            raise InvalidInput("An age group's weight is 1–1000 percent.", field="age_group_percent")
        if not 0 <= self.priority_step_percent <= 100:
            raise InvalidInput("Between 0 and 100.", field="priority_step_percent")
        if not 1 <= self.priority_floor_percent <= 100:
            raise InvalidInput("Between 1 and 100.", field="priority_floor_percent")
        for name in ("continuity_percent", "fair_share_percent"):
            if not 0 <= getattr(self, name) <= 500:
                raise InvalidInput("Between 0 and 500.", field=name)

    def priority_percent(self, rank: int) -> int:
        """Rank 1 is the association's first wish: 100 %; each later rank one step less, down to the floor."""
        return max(100 - self.priority_step_percent * (rank - 1), self.priority_floor_percent)

    def slot_value(self, wish: WishSpec) -> int:
        """The weighted demand of one weekly slot of the wish (an integer, as CP-SAT needs)."""
        return wish.duration * self.age_group_percent[wish.age_group] * self.priority_percent(wish.priority) // 100


@dataclass(frozen=True)
class FacilitySpec:
    id: uuid.UUID
    purposes: frozenset[str]
    capacity: int
    hours: dict[int, tuple[int, int]]  # weekday -> (opens, closes) in minutes; a missing weekday is closed
    step: int = 30  # starts and lengths on this many minutes
    min_minutes: int = 60
    max_minutes: int = 240
    buffer: int = 0
    weekly_quota: int | None = None  # minutes per association per week


@dataclass(frozen=True)
class WishSpec:
    id: uuid.UUID
    applicant_id: uuid.UUID
    priority: int  # 1 = the association's most wanted
    weekdays: tuple[int, ...]
    earliest: int  # minutes: the slot starts at or after this …
    latest: int  # … and ends by this
    duration: int
    weekly_count: int = 1  # slots a week, each on a different weekday
    facility_id: uuid.UUID | None = None
    facility_kind: str | None = None  # any facility with this purpose
    age_group: str = AgeGroup.ADULTS.value
    participants: int = 1
    continuity: frozenset[tuple[uuid.UUID, int]] = frozenset()  # (facility, weekday) held last season


@dataclass(frozen=True)
class Placement:
    wish_id: uuid.UUID
    applicant_id: uuid.UUID
    facility_id: uuid.UUID
    weekday: int
    start: int
    end: int


@dataclass(frozen=True)
class Busy:
    """Time a facility is already taken every week of the season (staff's own assignments, existing series)."""

    facility_id: uuid.UUID
    weekday: int
    start: int
    end: int  # buffer included


@dataclass(frozen=True)
class Problem:
    facilities: list[FacilitySpec]
    wishes: list[WishSpec]
    weights: Weights = field(default_factory=Weights)
    pinned: list[Placement] = field(default_factory=list)  # staff's assignments: kept, counted as met
    busy: list[Busy] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    """Where one slot of a wish could go: a facility on a weekday, starting on one of the steps lo … hi."""

    wish: WishSpec
    facility: FacilitySpec
    weekday: int
    lo: int  # the earliest start's step index (start = index * step)
    hi: int

    @property
    def continues(self) -> bool:
        return (self.facility.id, self.weekday) in self.wish.continuity


def candidates(problem: Problem) -> tuple[dict[uuid.UUID, list[Candidate]], dict[uuid.UUID, str]]:
    """Every wish's possible places, and for a wish with none the reason why."""
    found: dict[uuid.UUID, list[Candidate]] = {}
    why: dict[uuid.UUID, str] = {}
    for wish in problem.wishes:
        places, reasons = [], []
        for facility in problem.facilities:
            if wish.facility_id is not None and facility.id != wish.facility_id:
                continue
            if wish.facility_kind is not None and wish.facility_kind not in facility.purposes:
                continue
            if wish.participants > facility.capacity:
                reasons.append(f"the group of {wish.participants} does not fit the facility")
                continue
            if not facility.min_minutes <= wish.duration <= facility.max_minutes or wish.duration % facility.step:
                reasons.append("the length is not one the facility's rules allow")
                continue
            for day in wish.weekdays:
                hours = facility.hours.get(day)
                if hours is None:
                    reasons.append(f"the facility is closed on {WEEKDAYS[day]}")
                    continue
                first, last = max(wish.earliest, hours[0]), min(wish.latest, hours[1]) - wish.duration
                lo, hi = -(-first // facility.step), last // facility.step
                if hi < lo:
                    reasons.append("the time asked for is outside the opening hours")
                    continue
                places.append(Candidate(wish, facility, day, lo, hi))
        found[wish.id] = places
        if not places:
            why[wish.id] = reasons[0] if reasons else "no facility of the round matches the wish"
    return found, why

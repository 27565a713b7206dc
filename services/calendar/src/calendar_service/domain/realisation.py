"""The yearly realisation: the clock's planned entries of a year against what actually happened.

What happened is what the schedule knows: events for associations (and cooperation group meetings) held,
grant rounds opened (grants' events) and newsletter issues sent (the notifier's). Each planned entry is paired
with at most one of them, of its category: first an actual one the schedule already matched to it (a
newsletter issue), then the nearest by date within two months (``MAX_MOVE_DAYS``), a shorter plan first
(greedy, over every pair at once, so the order of the rows never matters). Paired on its planned dates it is
*realised*, paired elsewhere *moved* (with the actual date); unpaired it is *not realised* once its dates are
past, *pending* before. Categories nothing reports on (usage reports, partnership discussions, the
evaluation) are *not tracked*. What happened without a plan is listed as unplanned.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from calendar_service.domain.annual_clock import Category
from calendar_service.domain.schedule import days_apart

MAX_MOVE_DAYS = 60  # farther off, an actual is something else than the plan, not the plan moved
TRACKED = frozenset(
    {Category.GRANT_APPLICATION, Category.NEWSLETTER, Category.EVENT, Category.ASSOCIATION_EVENING,
     Category.COOPERATION_GROUP}
)  # fmt: skip


class Outcome(StrEnum):
    REALISED = "realised"
    MOVED = "moved"
    NOT_REALISED = "not_realised"
    PENDING = "pending"
    NOT_TRACKED = "not_tracked"


@dataclass(frozen=True)
class Planned:
    clock_entry_id: uuid.UUID
    category: Category
    title_fi: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Actual:
    """Something that happened: an event held (with its attendance), a round opened, an issue sent."""

    kind: str
    source_id: uuid.UUID
    category: Category
    title_fi: str
    starts_on: date
    ends_on: date
    clock_entry_id: uuid.UUID | None = None
    registrations: int | None = None  # confirmed registrations (events only)
    participants: int | None = None  # their participants


@dataclass(frozen=True)
class PlannedOutcome:
    planned: Planned
    outcome: Outcome
    actual: Actual | None = None


@dataclass(frozen=True)
class Realisation:
    year: int
    entries: list[PlannedOutcome]
    unplanned: list[Actual]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for e in self.entries if e.outcome is outcome)

    def happened(self, kind: str) -> list[Actual]:
        paired = [e.actual for e in self.entries if e.actual is not None]
        return [a for a in [*paired, *self.unplanned] if a.kind == kind]


def _may_pair(p: Planned, a: Actual) -> bool:
    if p.category is not a.category:
        return False
    if a.clock_entry_id is not None:  # the schedule already matched it (a newsletter issue)
        return a.clock_entry_id == p.clock_entry_id
    return days_apart(a.starts_on, p.starts_on, p.ends_on) <= MAX_MOVE_DAYS


def realise(year: int, planned: list[Planned], actuals: list[Actual], *, today: date) -> Realisation:
    pairs = sorted(
        (
            (a.clock_entry_id != p.clock_entry_id, days_apart(a.starts_on, p.starts_on, p.ends_on),
             (p.ends_on - p.starts_on).days, p.starts_on, a.starts_on, str(p.clock_entry_id), str(a.source_id), a.kind),
            p, a,
        )
        for p in planned for a in actuals if p.category in TRACKED and _may_pair(p, a)
    )  # fmt: skip
    paired: dict[uuid.UUID, Actual] = {}
    used: set[tuple[str, uuid.UUID]] = set()
    for _, p, candidate in pairs:
        if p.clock_entry_id in paired or (candidate.kind, candidate.source_id) in used:
            continue
        paired[p.clock_entry_id] = candidate
        used.add((candidate.kind, candidate.source_id))
    entries = []
    for p in sorted(planned, key=lambda p: (p.starts_on, p.title_fi, str(p.clock_entry_id))):
        a = paired.get(p.clock_entry_id)
        if p.category not in TRACKED:
            outcome = Outcome.NOT_TRACKED
        elif a is not None:
            outcome = Outcome.REALISED if days_apart(a.starts_on, p.starts_on, p.ends_on) == 0 else Outcome.MOVED
        else:
            outcome = Outcome.PENDING if p.ends_on >= today else Outcome.NOT_REALISED
        entries.append(PlannedOutcome(p, outcome, a))
    unplanned = sorted(
        (a for a in actuals if (a.kind, a.source_id) not in used), key=lambda a: (a.starts_on, a.kind, str(a.source_id))
    )
    return Realisation(year, entries, unplanned)

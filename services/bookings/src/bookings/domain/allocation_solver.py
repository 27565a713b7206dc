"""The allocation proposal: a CP-SAT model (OR-Tools) that maximises the weighted demand met, and a greedy baseline.

The model, per wish ``w`` and each place it could go (a facility ``f`` on a weekday ``d``): a Boolean ``x``
(one weekly slot of the wish is there) and the slot's start on the facility's steps, an optional interval of
the wish's length plus the facility's buffer. Constraints:

- ``NoOverlap`` per facility and weekday over every optional interval, staff's pinned slots and busy time;
- each start lies within the wish's time range and the facility's opening hours (the start's domain);
- at most one slot of a wish per weekday, at most its weekly count in all;
- the facility's weekly quota per association, where it has one.

Objective (``score``, the proposal's ``objective``): Σ x · value(w) · (1 + continuity) + fair_share ·
Σ_association min(minutes met, its fair share), where value(w) = minutes · age group weight · priority weight
(``Weights.slot_value``). The report's share (``share_met``) is Σ value(w) met over Σ value(w) asked: the
objective without its two bonuses, so with continuity and fair share at 0 % the two rank answers alike.

Solving: the wishes split into independent parts (``components``: facilities linked by wishes that may go to
either, associations by their quotas and fair shares), each solved with its share of the time limit from a
complete hint, the greedy answer. A large season (over ``LARGE`` places) keeps each wish's ``PLACES_PER_DAY``
least asked-for facilities a weekday and searches by LNS only (``LARGE_PARAMETERS``). A part where CP-SAT
finds nothing, or worse than the greedy on the objective, keeps the greedy's slots: never worse than it.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bookings.domain.allocation_model import Candidate, Placement, Problem, WishSpec, candidates
from bookings.domain.allocation_parts import components, kept_greedy, part_note, pruned

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

LARGE = 2000  # places (wish, facility, weekday) beyond which a season is a large one …
PLACES_PER_DAY = 2  # … where each wish keeps this many facilities a weekday (the greedy's among them) …
LARGE_PARAMETERS: dict[str, object] = {  # … and CP-SAT searches by LNS from the hint, skipping probing and LP
    "cp_model_probing_level": 0,
    "linearization_level": 0,
    "use_lns_only": True,
}
COMPETED = "the times asked for went to groups weighed higher under the round's principles"


@dataclass(frozen=True)
class Proposal:
    placements: list[Placement]
    unmet: dict[uuid.UUID, str]  # wish -> why (some or all of its weekly slots) were not met
    weighted_demand: int
    weighted_met: int
    status: str
    seconds: float
    met_slots: int = 0
    wanted_slots: int = 0
    notes: list[str] = field(default_factory=list)
    objective: int = 0  # the model's own score (``score``): weighted demand met plus continuity and fair shares

    @property
    def share_met(self) -> float:
        return self.weighted_met / self.weighted_demand if self.weighted_demand else 1.0


def _weighted(problem: Problem) -> tuple[int, dict[uuid.UUID, int]]:
    values = {w.id: problem.weights.slot_value(w) for w in problem.wishes}
    pinned: dict[uuid.UUID, int] = defaultdict(int)
    for p in problem.pinned:
        pinned[p.wish_id] += 1
    demand = sum(values[w.id] * max(w.weekly_count, pinned[w.id]) for w in problem.wishes)
    return demand, values


def _fair_shares(problem: Problem) -> dict[uuid.UUID, int]:
    """Each association's fair share of minutes: the open minutes of the round split evenly, capped by its ask."""
    open_minutes = sum(c - o for f in problem.facilities for o, c in f.hours.values())
    asked: dict[uuid.UUID, int] = defaultdict(int)
    for w in problem.wishes:
        asked[w.applicant_id] += w.duration * w.weekly_count
    if not asked:
        return {}
    even = open_minutes // len(asked)
    return {a: min(even, m) for a, m in asked.items()}


def _result(problem: Problem, placed: list[Placement], why: dict[uuid.UUID, str], status: str, t0: float) -> Proposal:
    demand, values = _weighted(problem)
    per_wish: dict[uuid.UUID, int] = defaultdict(int)
    for p in [*problem.pinned, *placed]:
        per_wish[p.wish_id] += 1
    unmet = {
        w.id: why.get(w.id, COMPETED) for w in problem.wishes if per_wish[w.id] < w.weekly_count
    }  # fmt: skip
    met = sum(values[w.id] * per_wish[w.id] for w in problem.wishes)
    wanted = sum(max(w.weekly_count, per_wish[w.id]) for w in problem.wishes)
    seconds = time.perf_counter() - t0
    return Proposal(placed, unmet, demand, met, status, seconds, sum(per_wish.values()), wanted,
                    objective=score(problem, placed))  # fmt: skip


class _Ledger:
    """The taken time per facility and weekday, and per association and facility the minutes a week."""

    def __init__(self, problem: Problem) -> None:
        self.taken: dict[tuple[uuid.UUID, int], list[tuple[int, int]]] = defaultdict(list)
        self.minutes: dict[tuple[uuid.UUID, uuid.UUID], int] = defaultdict(int)
        self.days: dict[uuid.UUID, set[int]] = defaultdict(set)
        self.count: dict[uuid.UUID, int] = defaultdict(int)
        buffers = {f.id: f.buffer for f in problem.facilities}
        for b in problem.busy:
            self.taken[b.facility_id, b.weekday].append((b.start, b.end))
        for p in problem.pinned:
            self.taken[p.facility_id, p.weekday].append((p.start, p.end + buffers.get(p.facility_id, 0)))
            self.minutes[p.applicant_id, p.facility_id] += p.end - p.start
            self.days[p.wish_id].add(p.weekday)
            self.count[p.wish_id] += 1

    def first_free(self, c: Candidate) -> int | None:
        taken, size = self.taken[c.facility.id, c.weekday], c.wish.duration + c.facility.buffer
        quota = c.facility.weekly_quota
        if quota is not None and self.minutes[c.wish.applicant_id, c.facility.id] + c.wish.duration > quota:
            return None
        for index in range(c.lo, c.hi + 1):
            start = index * c.facility.step
            if all(start + size <= s or e <= start for s, e in taken):
                return start
        return None

    def take(self, c: Candidate, start: int) -> Placement:
        self.taken[c.facility.id, c.weekday].append((start, start + c.wish.duration + c.facility.buffer))
        self.minutes[c.wish.applicant_id, c.facility.id] += c.wish.duration
        self.days[c.wish.id].add(c.weekday)
        self.count[c.wish.id] += 1
        return Placement(c.wish.id, c.wish.applicant_id, c.facility.id, c.weekday, start, start + c.wish.duration)


def greedy(problem: Problem) -> Proposal:
    """The baseline: wishes by value (highest first), each slot at the first free place, continuity first."""
    t0 = time.perf_counter()
    places, why = candidates(problem)
    ledger, placed = _Ledger(problem), []
    order = sorted(problem.wishes, key=lambda w: (-problem.weights.slot_value(w), w.priority, str(w.id)))
    for wish in order:
        for c in sorted(places[wish.id], key=lambda c: (not c.continues, c.weekday, c.lo)):
            if ledger.count[wish.id] >= wish.weekly_count:
                break
            if c.weekday in ledger.days[wish.id]:
                continue
            start = ledger.first_free(c)
            if start is not None:
                placed.append(ledger.take(c, start))
    return _result(problem, placed, why, "greedy", t0)


def _hint_key(p: Placement) -> tuple[uuid.UUID, uuid.UUID, int]:
    return p.wish_id, p.facility_id, p.weekday


def score(problem: Problem, placed: list[Placement]) -> int:
    """The model's own objective of placed slots (pinned ones aside): each slot's value with its continuity
    bonus, plus the fair-share bonus on each association's minutes up to its fair share."""
    weights, wishes = problem.weights, {w.id: w for w in problem.wishes}
    total, minutes = 0, defaultdict[uuid.UUID, int](int)
    for p in placed:
        w = wishes[p.wish_id]
        bonus = weights.continuity_percent if (p.facility_id, p.weekday) in w.continuity else 0
        total += weights.slot_value(w) * (100 + bonus) // 100
        minutes[w.applicant_id] += w.duration
    shares = _fair_shares(problem)
    fair = sum(min(m, shares.get(a, 0)) for a, m in minutes.items())
    return total + weights.fair_share_percent * fair


def solve(problem: Problem, *, time_limit: float = 20.0, workers: int = 2, seed: int = 0) -> Proposal:
    """The best proposal CP-SAT finds within ``time_limit`` seconds in all (optimal when it proves so), each
    independent part solved on its own with its share of the time, started from the greedy answer; never
    worse than the greedy answer on the model's objective (``score``), which it keeps otherwise."""
    t0 = time.perf_counter()
    places, why = candidates(problem)
    baseline = greedy(problem)
    hint = {_hint_key(p): p.start for p in baseline.placements}
    large = sum(len(c) for c in places.values()) > LARGE
    if large:
        places = pruned(problem, places, hint, PLACES_PER_DAY)
    parts = components(problem, places)
    sizes = [sum(len(places[w.id]) for w in part) for part in parts]
    placed: list[Placement] = []
    statuses: list[str] = []
    kept: list[str] = []  # a note per part that kept the greedy answer, saying which and why
    for part, size in zip(parts, sizes, strict=True):
        left = time_limit - (time.perf_counter() - t0)
        budget = max(left * size / max(sum(sizes[len(statuses) :]), 1), 0.05)
        found, status = _solve_part(problem, part, places, hint, budget, workers, seed, large=large)
        greedy_part = [p for p in baseline.placements if p.wish_id in {w.id for w in part}]
        if found is None or score(problem, found) < score(problem, greedy_part):
            ours = None if found is None else score(problem, found)
            reason = kept_greedy(ours, score(problem, greedy_part), budget)
            kept.append(part_note(len(statuses), len(parts), part, places, reason))
            found, status = greedy_part, "greedy"
        placed += found
        statuses.append(status)
    if not parts:
        statuses.append("optimal")
    status = "optimal" if all(s == "optimal" for s in statuses) else "greedy" if all(
        s == "greedy" for s in statuses) else "feasible"  # fmt: skip
    notes = [f"{len(kept)} of {len(parts)} parts kept the greedy answer", *kept] if kept else []
    if score(problem, placed) < score(problem, baseline.placements):  # never, part by part; a safety net
        placed, status = baseline.placements, "greedy"
    return replace(_result(problem, placed, why, status, t0), notes=notes)


def _solve_part(
    problem: Problem,
    part: list[WishSpec],
    places: dict[uuid.UUID, list[Candidate]],
    hint: dict[tuple[uuid.UUID, uuid.UUID, int], int],
    time_limit: float,
    workers: int,
    seed: int,
    *,
    large: bool,
) -> tuple[list[Placement] | None, str]:
    # Imported here, not with the module: OR-Tools brings pandas, a third of the service's start-up time,
    # and only computing a proposal needs it.
    from ortools.sat.python import cp_model

    weights, ledger = problem.weights, _Ledger(problem)
    model = cp_model.CpModel()
    intervals: dict[tuple[uuid.UUID, int], list[cp_model.IntervalVar]] = defaultdict(list)
    chosen: list[tuple[Candidate, cp_model.IntVar, cp_model.IntVar]] = []
    per_wish: dict[uuid.UUID, list[cp_model.IntVar]] = defaultdict(list)
    per_wish_day: dict[tuple[uuid.UUID, int], list[cp_model.IntVar]] = defaultdict(list)
    quota_terms: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    minutes_of: dict[uuid.UUID, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    objective = []
    hinted: dict[uuid.UUID, int] = defaultdict(int)
    for wish in part:
        if ledger.count[wish.id] >= wish.weekly_count:
            continue
        value = weights.slot_value(wish)
        for c in places[wish.id]:
            if c.weekday in ledger.days[wish.id]:
                continue
            f = c.facility
            x = model.new_bool_var("x")
            index = model.new_int_var(c.lo, c.hi, "t")
            size = wish.duration + f.buffer
            intervals[f.id, c.weekday].append(model.new_optional_fixed_size_interval_var(index * f.step, size, x, "i"))
            chosen.append((c, x, index))
            per_wish[wish.id].append(x)
            per_wish_day[wish.id, c.weekday].append(x)
            if f.weekly_quota is not None:
                quota_terms[wish.applicant_id, f.id].append((x, wish.duration))
            minutes_of[wish.applicant_id].append((x, wish.duration))
            bonus = weights.continuity_percent if c.continues else 0
            objective.append(x * (value * (100 + bonus) // 100))
            start = hint.get((wish.id, f.id, c.weekday))  # a complete hint: every variable, the greedy's answer
            model.add_hint(x, start is not None)
            model.add_hint(index, c.lo if start is None else start // f.step)
            hinted[wish.applicant_id] += 0 if start is None else wish.duration
    for key, day_intervals in intervals.items():
        spans = ledger.taken.get(key, [])
        day_intervals += [model.new_fixed_size_interval_var(s, e - s, "busy") for s, e in spans]
        if len(day_intervals) > 1:
            model.add_no_overlap(day_intervals)
    for wish in part:
        if per_wish[wish.id]:
            model.add(sum(per_wish[wish.id]) <= wish.weekly_count - ledger.count[wish.id])
    for xs in per_wish_day.values():
        if len(xs) > 1:
            model.add_at_most_one(xs)
    quotas = {f.id: f.weekly_quota for f in problem.facilities}
    for (applicant_id, facility_id), terms in quota_terms.items():
        room = (quotas[facility_id] or 0) - ledger.minutes[applicant_id, facility_id]
        model.add(sum(x * m for x, m in terms) <= room)
    shares = _fair_shares(problem)
    for applicant_id, terms in minutes_of.items():
        if not weights.fair_share_percent:
            break
        fair = model.new_int_var(0, shares[applicant_id], "fair")
        model.add(fair <= sum(x * m for x, m in terms))
        model.add_hint(fair, min(shares[applicant_id], hinted[applicant_id]))
        objective.append(fair * weights.fair_share_percent)
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    settings = {**(LARGE_PARAMETERS if large else {}), "num_workers": workers, "random_seed": seed}
    for name, setting in {**settings, "max_time_in_seconds": time_limit}.items():
        setattr(solver.parameters, name, setting)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, "greedy"
    placed = [
        Placement(c.wish.id, c.wish.applicant_id, c.facility.id, c.weekday, s := solver.value(i) * c.facility.step,
                  s + c.wish.duration)
        for c, x, i in chosen
        if solver.boolean_value(x)
    ]  # fmt: skip
    optimal = status == cp_model.OPTIMAL and not large  # a pruned model's optimum is not the season's
    return placed, "optimal" if optimal else "feasible"


def overlaps(problem: Problem, placements: list[Placement]) -> list[tuple[Placement, Placement]]:
    """Pairs of placements (pinned ones included) holding one facility at once, buffers included: none, ever."""
    buffers = {f.id: f.buffer for f in problem.facilities}
    by_day: dict[tuple[uuid.UUID, int], list[Placement]] = defaultdict(list)
    for p in [*problem.pinned, *placements]:
        by_day[p.facility_id, p.weekday].append(p)
    clashes = []
    for day in by_day.values():
        day.sort(key=lambda p: p.start)
        holder = day[0]
        for b in day[1:]:
            if b.start < holder.end + buffers.get(holder.facility_id, 0):
                clashes.append((holder, b))
            if b.end > holder.end:
                holder = b
    return clashes


def wish_of(problem: Problem, wish_id: uuid.UUID) -> WishSpec:
    return next(w for w in problem.wishes if w.id == wish_id)

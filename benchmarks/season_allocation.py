"""A city's seasonal allocation (vakiovuorojako): the CP-SAT proposal beside the greedy baseline, same problem.

    .venv/bin/python benchmarks/season_allocation.py [--facilities 40] [--associations 300] [--wishes 1500]
                                                     [--seed 1] [--time-limit 20] [--workers 2]

A generated, seeded city season: sports halls open 8–22, school gyms evenings and weekends, youth premises
and rehearsal rooms afternoons and evenings; associations of every age group asking, in priority order, for
one or two weekly slots of 60–180 minutes, most in the evening rush (17–21), some at a named facility and some
at any facility of a kind, some holding last season's slot (continuity). Both methods run on the same
``Problem`` with the default ``Weights``; the table shows each one's wall-clock time (the solver's includes its
own greedy hint and model building), the share of weighted demand met (what the report shows), the model's
objective (that share's numerator plus the continuity and fair-share bonuses: what CP-SAT maximises), slots
and wishes met, and the overlaps found (always none). The status column is the solver's answer: ``optimal``
(proved, small seasons only), ``feasible`` (the time limit reached, or a pruned large model), or ``greedy``
when every part kept the greedy answer; notes below the table say how many parts did. Figures, never
assertions.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections.abc import Callable

from bookings.domain.allocation_model import AgeGroup, FacilitySpec, Problem, WishSpec
from bookings.domain.allocation_solver import Proposal, greedy, overlaps, solve

KINDS = {  # purpose: (share of facilities, weekday hours, weekend hours, capacity)
    "sports": (0.45, (8 * 60, 22 * 60), (9 * 60, 20 * 60), 60),
    "school_gym": (0.30, (17 * 60, 22 * 60), (9 * 60, 18 * 60), 40),
    "youth": (0.15, (14 * 60, 21 * 60), None, 25),
    "rehearsals": (0.10, (10 * 60, 22 * 60), (10 * 60, 18 * 60), 30),
}
AGE_MIX = [(AgeGroup.CHILDREN, 0.35), (AgeGroup.YOUTH, 0.25), (AgeGroup.ADULTS, 0.25), (AgeGroup.SENIORS, 0.1),
           (AgeGroup.MIXED, 0.05)]  # fmt: skip


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def city(facilities: int, associations: int, wishes: int, seed: int) -> Problem:
    rng = random.Random(seed)
    specs = []
    kinds = list(KINDS)
    for i in range(facilities):
        kind = kinds[i % len(kinds)] if i < len(kinds) else rng.choices(kinds, [k[0] for k in KINDS.values()])[0]
        _, weekday, weekend, capacity = KINDS[kind]
        hours = {d: weekday for d in range(5)} | ({5: weekend, 6: weekend} if weekend else {})
        specs.append(FacilitySpec(id=_uuid(rng), purposes=frozenset({kind}), capacity=capacity, hours=hours,
                                  step=30, min_minutes=60, max_minutes=240, buffer=rng.choice([0, 0, 15, 30]),
                                  weekly_quota=rng.choice([None, None, None, 480])))  # fmt: skip
    by_kind = {k: [f for f in specs if k in f.purposes] for k in kinds}
    applicants = [_uuid(rng) for _ in range(associations)]
    counts = [1] * associations  # every association asks at least once; the rest spread unevenly
    for _ in range(wishes - associations):
        counts[min(int(rng.paretovariate(1.2)) - 1, associations - 1) if rng.random() < 0.3 else
               rng.randrange(associations)] += 1  # fmt: skip
    made = []
    for applicant, count in zip(applicants, counts, strict=True):
        age = rng.choices([a for a, _ in AGE_MIX], [w for _, w in AGE_MIX])[0]
        kind = rng.choices(kinds, [k[0] for k in KINDS.values()])[0]
        home = rng.choice(by_kind[kind])
        for priority in range(1, count + 1):
            duration = rng.choice([60, 90, 90, 120, 120, 180])
            evening = rng.random() < 0.75
            earliest = rng.choice([960, 1020, 1050, 1080]) if evening else rng.choice([540, 600, 840])  # 16–18, 9–14
            latest = min(earliest + duration + rng.choice([0, 30, 60, 120, 180]), 22 * 60)
            if latest - earliest < duration:
                earliest = latest - duration
            days = tuple(sorted(rng.sample(range(7) if rng.random() < 0.2 else range(5), rng.choice([1, 2, 2, 3]))))
            weekly = 2 if len(days) >= 2 and rng.random() < 0.3 else 1
            named = rng.random() < 0.4
            facility = (home if rng.random() < 0.7 else rng.choice(by_kind[kind])) if named else None
            continuity = frozenset({(home.id, days[0])}) if priority == 1 and rng.random() < 0.4 else frozenset()
            made.append(WishSpec(id=_uuid(rng), applicant_id=applicant, priority=priority, weekdays=days,
                                 earliest=earliest, latest=latest, duration=duration, weekly_count=weekly,
                                 facility_id=facility.id if facility else None,
                                 facility_kind=None if facility else kind, age_group=age.value,
                                 participants=rng.randint(8, 30), continuity=continuity))  # fmt: skip
    return Problem(facilities=specs, wishes=made)


def _row(name: str, problem: Problem, run: Callable[[], Proposal]) -> list[str]:
    """One method's figures; the seconds are the wall clock around it."""
    t0 = time.perf_counter()
    p = run()
    seconds = time.perf_counter() - t0
    full = sum(1 for w in problem.wishes if w.id not in p.unmet)
    for note in p.notes:
        print(f"{name}: {note}")
    return [name, p.status, f"{seconds:.2f}", f"{p.share_met:.2%}", f"{p.objective:,}",
            f"{p.met_slots}/{p.wanted_slots}", f"{full}/{len(problem.wishes)}",
            str(len(overlaps(problem, p.placements)))]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=40)
    parser.add_argument("--associations", type=int, default=300)
    parser.add_argument("--wishes", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=20.0, help="the solver's limit (PROPOSAL_SECONDS)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    problem = city(args.facilities, args.associations, args.wishes, args.seed)
    wanted = sum(w.weekly_count for w in problem.wishes)
    print(f"city season: {len(problem.facilities)} facilities, {args.associations} associations, "
          f"{len(problem.wishes)} wishes ({wanted} weekly slots), seed {args.seed}")  # fmt: skip
    rows = [_row("greedy (baseline)", problem, lambda: greedy(problem))]
    rows.append(_row(f"CP-SAT ({args.time_limit:g} s, {args.workers} workers)", problem,
                     lambda: solve(problem, time_limit=args.time_limit, workers=args.workers)))  # fmt: skip
    head = [
        "method",
        "status",
        "seconds",
        "weighted demand met",
        "objective",
        "slots met",
        "wishes met in full",
        "overlaps",
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()

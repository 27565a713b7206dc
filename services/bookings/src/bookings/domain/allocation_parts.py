"""A season's allocation problem cut smaller for CP-SAT: into independent parts, and fewer places per wish;
and the notes a part that kept the greedy answer leaves in the proposal.

``components`` is exact (no constraint crosses two parts, so solving each on its own loses nothing);
``pruned`` is a heuristic for large seasons, keeping the greedy's own places so its answer stays feasible.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

from bookings.domain.allocation_model import Candidate, Problem, WishSpec


def pruned(
    problem: Problem,
    places: dict[uuid.UUID, list[Candidate]],
    hint: dict[tuple[uuid.UUID, uuid.UUID, int], int],
    most: int,
) -> dict[uuid.UUID, list[Candidate]]:
    """Each wish's places cut to the ``most`` least asked-for facilities per weekday, the greedy's kept."""
    asked: dict[tuple[uuid.UUID, int], float] = defaultdict(float)
    for w in problem.wishes:
        for c in places[w.id]:
            asked[c.facility.id, c.weekday] += w.duration / len(places[w.id])
    kept: dict[uuid.UUID, list[Candidate]] = {}
    for w in problem.wishes:
        by_day: dict[int, list[Candidate]] = defaultdict(list)
        for c in places[w.id]:
            by_day[c.weekday].append(c)
        kept[w.id] = []
        for day in by_day.values():
            day.sort(key=lambda c: ((w.id, c.facility.id, c.weekday) not in hint, not c.continues,
                                    asked[c.facility.id, c.weekday]))  # fmt: skip
            kept[w.id] += day[:most]
    return kept


def components(problem: Problem, places: dict[uuid.UUID, list[Candidate]]) -> list[list[WishSpec]]:
    """The wishes in independent parts: facilities linked by wishes that may go to either, and associations
    (quotas and fair shares) linking their own wishes; no constraint crosses two parts."""
    parent: dict[object, object] = {}

    def find(a: object) -> object:
        while (up := parent.setdefault(a, a)) != a:
            parent[a] = parent.setdefault(up, up)
            a = up
        return a

    for w in problem.wishes:
        for c in places[w.id]:
            parent[find(("f", c.facility.id))] = find(("a", w.applicant_id))
    parts: dict[object, list[WishSpec]] = defaultdict(list)
    for w in problem.wishes:
        if places[w.id]:
            parts[find(("a", w.applicant_id))].append(w)
    return sorted(parts.values(), key=len, reverse=True)


def part_note(index: int, total: int, part: list[WishSpec], places: dict[uuid.UUID, list[Candidate]], why: str) -> str:
    """Which part kept the greedy answer, for the proposal's notes: its wishes, associations and facilities."""
    facilities = sorted({str(c.facility.id) for w in part for c in places[w.id]})
    associations = len({w.applicant_id for w in part})
    return (
        f"part {index + 1} of {total} ({len(part)} wishes of {associations} associations at facilities "
        f"{', '.join(facilities)}) kept the greedy answer: {why}"
    )


def kept_greedy(found: int | None, greedy: int, seconds: float) -> str:
    """Why a part kept the greedy answer: CP-SAT found nothing in its time, or scored below the greedy."""
    if found is None:
        return f"CP-SAT found no solution in its {seconds:.1f} s"
    return f"CP-SAT's best scored {found:,} against the greedy's {greedy:,}"

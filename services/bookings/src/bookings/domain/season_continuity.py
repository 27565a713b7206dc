"""Continuity with last season, from what was published: which wishes continue a slot the association held.

Last season is the department's previous published round sharing facilities with this one; what its
associations held is its allocation as published (the slots not declined). A wish continues last season at a
facility on a weekday when its association held that facility on that weekday at a time the wish can take
again: the wish's slot may start when the held one did (its earliest start at or before it, and the held
start plus the wish's length within its latest end). The solver gives such a place its continuity bonus
(``Weights.continuity_percent``, on the facility and weekday); staff see it on the grid. Nobody types it in.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bookings.domain.allocation_model import WEEKDAYS
from bookings.domain.season_round import Wish


@dataclass(frozen=True)
class HeldSlot:
    """A weekly slot an association held in last season's published round."""

    round_id: uuid.UUID
    applicant_id: uuid.UUID
    facility_id: uuid.UUID
    weekday: str  # mon … sun
    start: int  # minutes after local midnight
    end: int


class LastSeason:
    """Last season's held slots, looked up by association, facility and weekday."""

    def __init__(self, held: Iterable[HeldSlot] = ()) -> None:
        self._held: dict[tuple[uuid.UUID, uuid.UUID, str], list[HeldSlot]] = defaultdict(list)
        for h in held:
            self._held[h.applicant_id, h.facility_id, h.weekday].append(h)

    def __bool__(self) -> bool:
        return bool(self._held)

    def held(self, applicant_id: uuid.UUID, wish: Wish, facility_id: uuid.UUID, weekday: str) -> HeldSlot | None:
        """The slot the association held there last season at a time the wish can take again, if any."""
        first = Wish.minutes(wish.earliest)
        last = Wish.minutes(wish.latest) - wish.duration_minutes
        candidates = self._held.get((applicant_id, facility_id, weekday), [])
        return next((h for h in sorted(candidates, key=lambda h: h.start) if first <= h.start <= last), None)

    def continuity(
        self, applicant_id: uuid.UUID, wish: Wish, facilities: dict[uuid.UUID, frozenset[str]]
    ) -> frozenset[tuple[uuid.UUID, int]]:
        """The (facility, weekday index) places at which the wish continues last season; ``facilities`` are the
        round's, with their purposes (a wish for a kind of facility may continue at any of that kind)."""
        places = [f for f, purposes in facilities.items() if f == wish.facility_id or wish.facility_kind in purposes]
        return frozenset(
            (f, WEEKDAYS.index(day))
            for f in places
            for day in wish.weekdays
            if self.held(applicant_id, wish, f, day) is not None
        )

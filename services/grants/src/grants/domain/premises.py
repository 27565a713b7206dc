"""What a partnership agreement says about the department's premises (toimitilat).

The terms have no dates of their own: they apply for the agreement's term while it is in force, from its
first day to its last (or the day it was ended early). Bookings learns them from the signed agreement's event
and grants free use from them at booking time, without asking grants.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from shared.errors import InvalidInput

MAX_FACILITIES = 100


@dataclass(frozen=True)
class PremisesTerms:
    """Whether the partner uses the department's premises free of charge, and which facilities (bookings'
    ids) that covers; none named: all the department's premises."""

    free_use: bool
    facility_ids: tuple[uuid.UUID, ...] = ()

    @classmethod
    def of(cls, value: PremisesTerms | dict[str, Any]) -> PremisesTerms:
        if isinstance(value, PremisesTerms):
            return value
        return cls(free_use=value["free_use"], facility_ids=tuple(value.get("facility_ids") or ()))

    @property
    def all_premises(self) -> bool:
        return not self.facility_ids

    def validate(self, at: str = "premises") -> None:
        if len(self.facility_ids) > MAX_FACILITIES:
            raise InvalidInput(f"Name at most {MAX_FACILITIES} facilities.", field=f"{at}.facility_ids")
        seen: set[uuid.UUID] = set()
        for i, facility_id in enumerate(self.facility_ids):
            if facility_id in seen:
                raise InvalidInput(
                    f"Facility {facility_id} is named twice: name each facility once.", field=f"{at}.facility_ids.{i}"
                )
            seen.add(facility_id)

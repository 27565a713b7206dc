"""Rent and free use: the price of a slot, computed before a booking is requested and recorded with it.

Rent is hourly, in integer cents, optionally by the booker's kind (a registered association may pay less than a
private person). Free use (maksuton käyttö) comes from one of three reasons, checked in this order:

1. ``applicant_kind``: the facility is free for this kind of booker;
2. ``department_grant``: the managing department granted this association free use explicitly;
3. ``partnership``: an active partnership agreement with the department includes free use of its premises
   (learned from grants' partnership events).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from shared.errors import InvalidInput


class FreeUseReason(StrEnum):
    APPLICANT_KIND = "applicant_kind"
    DEPARTMENT_GRANT = "department_grant"
    PARTNERSHIP = "partnership"


@dataclass(frozen=True)
class Pricing:
    hourly_cents: int = 0
    hourly_cents_by_kind: dict[str, int] = field(default_factory=dict)
    free_for_kinds: frozenset[str] = frozenset()

    def validate(self) -> None:
        if self.hourly_cents < 0:
            raise InvalidInput("Rent is not negative.", field="hourly_cents")
        if any(v < 0 for v in self.hourly_cents_by_kind.values()):
            raise InvalidInput("Rent is not negative.", field="hourly_cents_by_kind")

    def hourly_for(self, booker_kind: str | None) -> int:
        if booker_kind is not None and booker_kind in self.hourly_cents_by_kind:
            return self.hourly_cents_by_kind[booker_kind]
        return self.hourly_cents


@dataclass(frozen=True)
class Quote:
    hourly_cents: int
    price_cents: int
    free_use_reason: FreeUseReason | None


def price_of(minutes: int, hourly_cents: int) -> int:
    """Whole cents, half a cent rounded up: 90 minutes at 25.00 €/h is 37.50 €."""
    return (minutes * hourly_cents + 30) // 60


def quote(
    pricing: Pricing,
    *,
    booker_kind: str | None,
    starts_at: datetime,
    ends_at: datetime,
    granted: bool,
    partnership: bool,
) -> Quote:
    """The price of one slot for a booker; ``granted`` and ``partnership`` say which free use applies to it."""
    hourly = pricing.hourly_for(booker_kind)
    reason: FreeUseReason | None = None
    if booker_kind is not None and booker_kind in pricing.free_for_kinds:
        reason = FreeUseReason.APPLICANT_KIND
    elif granted:
        reason = FreeUseReason.DEPARTMENT_GRANT
    elif partnership:
        reason = FreeUseReason.PARTNERSHIP
    minutes = int((ends_at - starts_at) / timedelta(minutes=1))
    return Quote(hourly_cents=hourly, price_cents=0 if reason else price_of(minutes, hourly), free_use_reason=reason)

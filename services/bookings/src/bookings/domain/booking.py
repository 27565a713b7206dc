"""A booking: one slot, or a weekly series for a season, requested, confirmed and cancelled as one unit.

A booking holds its occurrences (one for a single slot). While the booking is requested or confirmed, its
occurrences not cancelled one by one are *active* and take their time: the database's exclusion constraint
keeps two active occurrences of one facility from overlapping (buffers included). A staff block is a booking
of the city's own (no applicant), confirmed at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bookings.domain.pricing import FreeUseReason
from shared.errors import Conflict, InvalidInput


class BookingState(StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class BookingKind(StrEnum):
    SINGLE = "single"
    SERIES = "series"
    BLOCK = "block"


ACTIVE_STATES = frozenset({BookingState.REQUESTED, BookingState.CONFIRMED})


@dataclass
class Occurrence:
    id: uuid.UUID
    booking_id: uuid.UUID
    facility_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime  # ends_at plus the facility's buffer
    price_cents: int
    active: bool = True
    cancelled_at: datetime | None = None
    late_cancellation: bool = False  # confirmed, then cancelled by the booker too late (or used): still charged

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at) / timedelta(minutes=1))


@dataclass
class Booking:
    id: uuid.UUID
    facility_id: uuid.UUID
    department_code: str
    kind: BookingKind
    state: BookingState
    applicant_id: uuid.UUID | None
    applicant_kind: str | None
    hourly_cents: int
    free_use_reason: FreeUseReason | None
    requested_by: str
    purpose: str | None = None
    terms_accepted_at: datetime | None = None
    # a series: the weekday's local times and the season
    local_starts: time | None = None
    local_ends: time | None = None
    first_day: date | None = None
    last_day: date | None = None
    skipped_days: list[date] = field(default_factory=list)
    decided_at: datetime | None = None
    decision_reason: str | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    def confirm(self, now: datetime) -> None:
        if self.state is not BookingState.REQUESTED:
            raise Conflict(f"Only a requested booking can be confirmed; this one is {self.state}.", field="state")
        self.state, self.decided_at = BookingState.CONFIRMED, now

    def reject(self, now: datetime, reason: str) -> None:
        if self.state is not BookingState.REQUESTED:
            raise Conflict(f"Only a requested booking can be rejected; this one is {self.state}.", field="state")
        if not reason.strip():
            raise InvalidInput("A rejection gives its reason.", field="reason")
        self.state, self.decided_at, self.decision_reason = BookingState.REJECTED, now, reason

    def cancel(self, now: datetime, reason: str) -> None:
        if not self.active:
            raise Conflict(f"Only an active booking can be cancelled; this one is {self.state}.", field="state")
        if not reason.strip():
            raise InvalidInput("A cancellation gives its reason.", field="reason")
        self.state, self.cancelled_at, self.cancel_reason = BookingState.CANCELLED, now, reason

    def ensure_series_occurrence_cancellable(self) -> None:
        if self.kind is not BookingKind.SERIES:
            raise Conflict("Only an occurrence of a series is cancelled on its own; cancel the booking.", field="kind")
        if self.state is not BookingState.CONFIRMED:
            raise Conflict("Occurrences of a confirmed series are cancelled one by one.", field="state")

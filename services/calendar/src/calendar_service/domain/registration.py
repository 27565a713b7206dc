"""A registration: an association's representative signs up one or more participants for an event.

Seats are given first come, first served: while the event has seats and nobody waits, a registration is
confirmed; otherwise it waits in line (``queued_at`` and a database sequence order it). A cancellation frees the
seats, and the line moves: waiting registrations are promoted from its head as long as the head fits. Both
happen with the event's row locked, so concurrent registrations and cancellations take turns and the count of
taken seats (checked by the database, never above the capacity) is always the sum of confirmed participants.

The contact person (name, email, phone) is the calendar's own personal data: never in events or logs,
exported and erased on request (ADR 0003).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from calendar_service.domain.event import Event
from shared.errors import Conflict


class RegistrationState(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


@dataclass
class Registration:
    id: uuid.UUID
    event_id: uuid.UUID
    association_id: uuid.UUID
    participants: int
    state: RegistrationState
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None = None
    registered_by: str = ""
    contact_language: str = "fi"  # what the contact's mails are written in: fi, sv or en
    queue_number: int | None = None  # from a database sequence: the order of arrival
    promoted_at: datetime | None = None
    cancelled_at: datetime | None = None
    created_at: datetime | None = field(default=None, compare=False)
    updated_at: datetime | None = field(default=None, compare=False)

    def cancel(self, event: Event, now: datetime) -> bool:
        """Cancel; True when it held seats (which the line may now take)."""
        if self.state is RegistrationState.CANCELLED:
            raise Conflict("The registration is already cancelled.", field="registration_id")
        if now >= event.cutoff:
            raise Conflict("Cancellations have closed for this event.", field="registration_id")
        held = self.state is RegistrationState.CONFIRMED
        self.state, self.cancelled_at = RegistrationState.CANCELLED, now
        return held


def fits(event: Event, participants: int) -> bool:
    left = event.seats_left()
    return left is None or participants <= left


def promotions(event: Event, waiting: list[Registration]) -> list[Registration]:
    """The waiting registrations, in their order, that the free seats now take: from the head of the line,
    while the head fits (nobody jumps the line)."""
    promoted: list[Registration] = []
    free = event.seats_left()
    for registration in waiting:
        if free is not None and registration.participants > free:
            break
        promoted.append(registration)
        if free is not None:
            free -= registration.participants
    return promoted

"""Events published by the calendar service: ids, times and public facts of events for associations.

Never personal data (ADR 0003): a registration's contact person stays in the calendar; its events carry the
registration's, the event's and the association's ids and the number of participants only.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import AwareDatetime, Field

from shared.contracts.envelope import EventData, contract


class EventKind(StrEnum):
    INFO = "info"
    DISCUSSION = "discussion"
    NETWORKING = "networking"
    WORKSHOP = "workshop"
    ASSOCIATION_EVENING = "association_evening"
    COOPERATION_GROUP_MEETING = "cooperation_group_meeting"


class _EventState(EventData):
    event_id: uuid.UUID
    kind: EventKind
    title: str = Field(description="The event's Finnish title (public).")
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    facility_id: uuid.UUID | None = Field(description="A city facility (bookings' id), when held in one.")
    online: bool
    capacity: int | None
    department_code: str
    revision: int = Field(description="Increases with every change; apply only newer revisions.")


@contract("calendar", "EventScheduled", 1)
class EventScheduled(_EventState):
    """An event for associations was published: it is on the schedule, and registration opens as announced."""


@contract("calendar", "EventChanged", 1)
class EventChanged(_EventState):
    """A published event's time, place or capacity changed (or it was postponed: ``postponed``)."""

    postponed: bool = False


@contract("calendar", "EventCancelled", 1)
class EventCancelled(EventData):
    event_id: uuid.UUID
    revision: int


class _RegistrationEvent(EventData):
    registration_id: uuid.UUID
    event_id: uuid.UUID
    association_id: uuid.UUID
    participants: int


@contract("calendar", "RegistrationConfirmed", 1)
class RegistrationConfirmed(_RegistrationEvent):
    """Seats were free: the association's participants have their seats."""


@contract("calendar", "RegistrationWaitlisted", 1)
class RegistrationWaitlisted(_RegistrationEvent):
    """The event was full: the registration waits its turn (``position``: 1 is next)."""

    position: int


@contract("calendar", "RegistrationPromoted", 1)
class RegistrationPromoted(_RegistrationEvent):
    """Someone cancelled: a waiting registration got its seats."""


@contract("calendar", "RegistrationCancelled", 1)
class RegistrationCancelled(_RegistrationEvent):
    was_confirmed: bool

"""Events for associations (tilaisuudet): info, discussion, networking and workshop events, association evenings.

An event is a draft until published; a published event may be changed, postponed (to a later time) or
cancelled, and is marked held after it ends, when its materials can be published. Registration is open within
its window, only while it is published; cancelling a registration is possible until the cut-off.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from calendar_service.domain.annual_clock import Audience
from shared.contracts.calendar import EventKind
from shared.errors import Conflict, InvalidInput


class EventState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    POSTPONED = "postponed"  # published, moved to a later time
    CANCELLED = "cancelled"
    HELD = "held"


VISIBLE = (EventState.PUBLISHED, EventState.POSTPONED, EventState.CANCELLED, EventState.HELD)
REGISTERABLE = (EventState.PUBLISHED, EventState.POSTPONED)


@dataclass
class Event:
    id: uuid.UUID
    kind: EventKind
    title_fi: str
    department_code: str
    starts_at: datetime
    ends_at: datetime
    audience: Audience = Audience.ASSOCIATIONS
    description_fi: str = ""
    title_sv: str | None = None
    title_en: str | None = None
    facility_id: uuid.UUID | None = None  # a city facility (bookings' id), or
    address: str | None = None  # a street address
    online_url: str | None = None
    capacity: int | None = None  # None: no limit, nobody waits
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    cancellation_cutoff_at: datetime | None = None  # default: the start
    state: EventState = EventState.DRAFT
    seats_taken: int = 0
    materials: list[dict[str, Any]] = field(default_factory=list)
    agenda_md: str | None = None  # a cooperation group meeting's agenda and minutes (Markdown)
    minutes_md: str | None = None
    revision: int = 1
    created_at: datetime | None = field(default=None, compare=False)
    updated_at: datetime | None = field(default=None, compare=False)

    def validate(self) -> None:
        if self.ends_at <= self.starts_at:
            raise InvalidInput("The event must end after it starts.", field="ends_at")
        if self.ends_at - self.starts_at > timedelta(days=14):
            raise InvalidInput("An event lasts at most 14 days.", field="ends_at")
        if self.capacity is not None and self.capacity < self.seats_taken:
            raise InvalidInput(f"{self.seats_taken} seats are already taken.", field="capacity")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens is not None and closes is not None and closes <= opens:
            raise InvalidInput("Registration must close after it opens.", field="registration_closes_at")
        if closes is not None and closes > self.ends_at:
            raise InvalidInput("Registration closes by the event's end.", field="registration_closes_at")
        if self.cancellation_cutoff_at is not None and self.cancellation_cutoff_at > self.ends_at:
            raise InvalidInput("Cancellations end by the event's end.", field="cancellation_cutoff_at")
        if self.kind is not EventKind.COOPERATION_GROUP_MEETING:
            for name in ("agenda_md", "minutes_md"):
                if getattr(self, name) is not None:
                    raise InvalidInput("Only a cooperation group meeting has an agenda and minutes.", field=name)

    def record_minutes(self, minutes_md: str | None) -> None:
        """A meeting's minutes, also once it is held (but not when cancelled)."""
        if self.kind is not EventKind.COOPERATION_GROUP_MEETING:
            raise InvalidInput("Only a cooperation group meeting has minutes.", field="minutes_md")
        if self.state is EventState.CANCELLED:
            raise Conflict("The meeting is cancelled.", field="state")
        self.minutes_md = minutes_md
        self.changed()

    @property
    def has_place(self) -> bool:
        return any(x is not None for x in (self.facility_id, self.address, self.online_url))

    @property
    def cutoff(self) -> datetime:
        return self.cancellation_cutoff_at or self.starts_at

    def ensure_editable(self) -> None:
        if self.state in (EventState.CANCELLED, EventState.HELD):
            raise Conflict(f"The event is {self.state.value}; it can no longer change.", field="state")

    def changed(self) -> None:
        self.revision += 1

    def publish(self) -> None:
        if self.state is not EventState.DRAFT:
            raise Conflict("Only a draft is published.", field="state")
        if not self.has_place:
            raise InvalidInput("Give the event a place: a facility, an address or an online link.", field="address")
        self.state = EventState.PUBLISHED
        self.changed()

    def postpone(self, starts_at: datetime, ends_at: datetime) -> None:
        if self.state not in REGISTERABLE:
            raise Conflict("Only a published event is postponed.", field="state")
        if starts_at <= self.starts_at:
            raise InvalidInput("A postponed event starts later than planned.", field="starts_at")
        shift = starts_at - self.starts_at
        self.starts_at, self.ends_at, self.state = starts_at, ends_at, EventState.POSTPONED
        for name in ("registration_closes_at", "cancellation_cutoff_at"):
            if (moment := getattr(self, name)) is not None:
                setattr(self, name, moment + shift)
        self.validate()
        self.changed()

    def cancel(self) -> None:
        self.ensure_editable()
        self.state = EventState.CANCELLED
        self.changed()

    def mark_held(self, now: datetime) -> None:
        if self.state not in REGISTERABLE:
            raise Conflict("Only a published event is held.", field="state")
        if now < self.starts_at:
            raise Conflict("The event has not started yet.", field="state")
        self.state = EventState.HELD
        self.changed()

    def publish_materials(self, materials: list[dict[str, Any]]) -> None:
        if self.state is not EventState.HELD:
            raise Conflict("Materials are published after the event is held.", field="state")
        self.materials = materials
        self.changed()

    def ensure_registration_open(self, now: datetime) -> None:
        if self.state not in REGISTERABLE:
            raise Conflict("Registration is not open: the event is not published.", field="event_id")
        if self.registration_opens_at is not None and now < self.registration_opens_at:
            raise Conflict("Registration has not opened yet.", field="event_id")
        closes = self.registration_closes_at or self.starts_at
        if now >= closes:
            raise Conflict("Registration has closed.", field="event_id")

    def seats_left(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.seats_taken

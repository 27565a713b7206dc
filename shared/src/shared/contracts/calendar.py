"""Events published by the calendar service: ids, times and public facts of events for associations.

Never personal data (ADR 0003): a registration's contact person stays in the calendar; its events carry the
registration's, the event's and the association's ids and the number of participants only.
"""

from __future__ import annotations

import uuid
from datetime import date
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


class EventAudience(StrEnum):
    """Whom an event is for (the calendar's audience of its schedule entry)."""

    EVERYONE = "everyone"  # every applicant: associations, groups and private persons
    ASSOCIATIONS = "associations"  # registered associations and unregistered groups
    GRANTEES = "grantees"  # those holding a grant
    PARTNERS = "partners"  # the city's partner associations
    STAFF = "staff"  # the city's own staff: no association is told


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

    # Added after version 1 was published (optional, so older messages still read): None reads as associations.
    audience: EventAudience | None = Field(default=None, description="Whom the event is for.")


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


class FeedbackSurveyAudience(StrEnum):
    EVENT_PARTICIPANTS = "event_participants"
    ALL_ASSOCIATIONS = "all_associations"


@contract("calendar", "FeedbackSurveyOpened", 1)
class FeedbackSurveyOpened(EventData):
    """A feedback survey opened for answers: after an event (to its confirmed registrations) or the yearly
    evaluation (to all associations). The invitations' tokens are never in an event: whom to invite is fetched
    from the calendar."""

    survey_id: uuid.UUID
    event_id: uuid.UUID | None = Field(description="The event asked about; none for the yearly evaluation.")
    audience: FeedbackSurveyAudience
    closes_at: AwareDatetime
    invitations: int = Field(description="How many invitations were made (one answer each).")


@contract("calendar", "FeedbackSurveyClosed", 1)
class FeedbackSurveyClosed(EventData):
    """A feedback survey stopped taking answers; its results are final."""

    survey_id: uuid.UUID
    event_id: uuid.UUID | None
    audience: FeedbackSurveyAudience
    answers: int = Field(description="How many invitations were answered.")


@contract("calendar", "NewsletterDatePlanned", 1)
class NewsletterDatePlanned(EventData):
    """A newsletter issue's date on a year's schedule, planned from the annual clock's newsletter entry: sent when
    the schedule is generated, when the clock entry's date or title changes, and when staff regenerate the year
    (ADR 0014). The notifier keeps these dates and schedules issues on them."""

    entry_id: uuid.UUID = Field(description="The planned schedule entry (the clock entry in that year).")
    clock_entry_id: uuid.UUID
    year: int
    planned_on: date = Field(description="The day the issue is planned for (Helsinki's calendar).")
    title_fi: str
    revision: int = Field(description="Increases with every change of the clock entry; apply only newer ones.")


@contract("calendar", "NewsletterDateWithdrawn", 1)
class NewsletterDateWithdrawn(EventData):
    """A planned newsletter date is no longer on the year's schedule (its clock entry was deactivated, or is no
    longer a newsletter entry)."""

    entry_id: uuid.UUID
    clock_entry_id: uuid.UUID
    year: int
    revision: int

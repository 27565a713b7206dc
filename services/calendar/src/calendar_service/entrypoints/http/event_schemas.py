"""Bodies of the events', registrations' and personal-data requests."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from calendar_service.domain.annual_clock import Audience
from calendar_service.domain.event import EventState
from calendar_service.domain.registration import RegistrationState
from calendar_service.entrypoints.http.schemas import Text, Title
from shared.contracts.calendar import EventKind
from shared.http.schemas import MISSING, NOT_BLANK, Choice, IsoDateTime, RequestModel, Uuid

LOCAL = "A Helsinki wall-clock time such as 2027-03-09T18:00, or a time with its offset."
Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=500, pattern=r"^https://\S+$")]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), NOT_BLANK]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), NOT_BLANK]
Capacity = Annotated[int, Field(ge=1, le=100_000)]
Moment = Annotated[IsoDateTime, Field(description=LOCAL)]
Markdown = Annotated[str, StringConstraints(max_length=20_000), Field(description="Markdown (no raw HTML).")]


class EventCreate(RequestModel):
    kind: Choice[EventKind]
    title_fi: Title
    title_sv: Title | None = None
    title_en: Title | None = None
    description_fi: Text = ""
    audience: Choice[Audience] = Audience.ASSOCIATIONS
    department_code: Code
    starts_at: Moment
    ends_at: Moment
    facility_id: Uuid | None = Field(default=None, description="A city facility (the bookings service's id).")
    address: Address | None = None
    online_url: Url | None = None
    capacity: Capacity | None = Field(default=None, description="Seats; none: no limit.")
    registration_opens_at: Moment | None = None
    registration_closes_at: Moment | None = Field(default=None, description=LOCAL + " Default: the start.")
    cancellation_cutoff_at: Moment | None = Field(default=None, description=LOCAL + " Default: the start.")
    agenda_md: Markdown | None = Field(default=None, description="A cooperation group meeting's agenda.")


class EventUpdate(RequestModel):
    """A partial update; ``null`` clears only the optional fields."""

    title_fi: Title | MISSING = MISSING
    title_sv: Title | None = None
    title_en: Title | None = None
    description_fi: Text | MISSING = MISSING
    audience: Choice[Audience] | MISSING = MISSING
    starts_at: Moment | MISSING = MISSING
    ends_at: Moment | MISSING = MISSING
    facility_id: Uuid | None = None
    address: Address | None = None
    online_url: Url | None = None
    capacity: Capacity | None = None
    registration_opens_at: Moment | None = None
    registration_closes_at: Moment | None = None
    cancellation_cutoff_at: Moment | None = None
    agenda_md: Markdown | None = None


class Minutes(RequestModel):
    minutes_md: Markdown | None


class Postponement(RequestModel):
    starts_at: Moment
    ends_at: Moment


class Material(RequestModel):
    title: Title
    url: Url


class Materials(RequestModel):
    materials: list[Material] = Field(max_length=50)


class MaterialRead(BaseModel):
    title: str
    url: str


class EventRead(BaseModel):
    id: uuid.UUID
    kind: EventKind
    title_fi: str
    title_sv: str | None
    title_en: str | None
    description_fi: str
    audience: Audience
    department_code: str
    starts_at: datetime
    ends_at: datetime
    facility_id: uuid.UUID | None
    address: str | None
    online_url: str | None
    capacity: int | None
    seats_left: int | None = Field(description="None: no limit.")
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    cancellation_cutoff_at: datetime | None
    state: EventState
    materials: list[MaterialRead]
    agenda_md: str | None
    minutes_md: str | None
    agenda_html: str | None = Field(description="The agenda as sanitised HTML.")
    minutes_html: str | None = Field(description="The minutes as sanitised HTML.")
    revision: int


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=5, max_length=30, pattern=r"^\+?[0-9 ()-]+$")
]


class RegistrationCreate(RequestModel):
    association_id: Uuid
    participants: int = Field(ge=1, le=50)
    contact_name: Name
    contact_email: EmailStr
    contact_phone: Phone | None = None
    contact_language: Literal["fi", "sv", "en"] = Field(default="fi", description="The language of its mails.")


class RegistrationRead(BaseModel):
    id: uuid.UUID
    event_id: uuid.UUID
    association_id: uuid.UUID
    participants: int
    state: RegistrationState
    position: int | None = Field(description="In the waiting line: 1 is next; None when not waiting.")
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    contact_language: str
    promoted_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime | None


class PersonRequest(RequestModel):
    email: EmailStr


class PersonalDataRead(BaseModel):
    email: str
    registrations: list[RegistrationRead]


class ErasureRead(BaseModel):
    registrations: int
    stored_replies: int

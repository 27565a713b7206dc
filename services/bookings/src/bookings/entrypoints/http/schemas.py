"""Request and response bodies: ``XCreate`` / ``XRead`` per resource (requests strict and closed)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from shared.contracts.directory import ApplicantKind
from shared.http.schemas import MISSING, NOT_BLANK, Choice, IsoDate, IsoDateTime, IsoTime, RequestModel, Uuid

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), NOT_BLANK]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), NOT_BLANK]
Cents = Annotated[int, Field(ge=0, le=10**9, description="Euros in cents: 2500 is 25.00 EUR.")]
Minutes = Annotated[int, Field(ge=1, le=24 * 60)]
Weekday = Annotated[str, StringConstraints(pattern=r"^(mon|tue|wed|thu|fri|sat|sun)$")]


class HoursIn(RequestModel):
    opens: IsoTime = Field(examples=["08:00"])
    closes: IsoTime = Field(examples=["22:00"])


class RulesIn(RequestModel):
    window_opens_days: Annotated[int, Field(ge=1, le=730)] = 180
    window_closes_hours: Annotated[int, Field(ge=0, le=24 * 60)] = 24
    min_minutes: Minutes = 60
    max_minutes: Minutes = 240
    start_interval_minutes: Annotated[int, Field(ge=5, le=240)] = 30
    buffer_minutes: Annotated[int, Field(ge=0, le=240)] = 0
    weekly_quota_minutes: Annotated[int, Field(ge=1, le=7 * 24 * 60)] | None = None
    needs_approval: bool = True
    free_cancellation_days: Annotated[int, Field(ge=0, le=365)] = 7
    terms: LongText = ""


class PricingIn(RequestModel):
    hourly_cents: Cents = 0
    hourly_cents_by_kind: dict[Choice[ApplicantKind], Cents] = Field(default={})
    free_for_kinds: list[Choice[ApplicantKind]] = Field(default=[], max_length=3)


class FacilityCreate(RequestModel):
    name: Name
    department_code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,40}$")]
    address: Name
    capacity: Annotated[int, Field(ge=1, le=100_000)]
    contact_id: Uuid | None = Field(default=None, description="The directory's facility_contact for it.")
    accessibility: LongText | None = None
    equipment: list[Tag] = Field(default=[], max_length=50)
    purposes: list[Tag] = Field(default=[], max_length=50)
    rules: RulesIn = RulesIn()
    pricing: PricingIn = PricingIn()
    weekly_hours: dict[Weekday, HoursIn] = Field(default={}, examples=[{"mon": {"opens": "08:00", "closes": "22:00"}}])
    closed_on_holidays: bool = True

    def fields(self) -> dict[str, Any]:
        values = self.model_dump()
        values["pricing"]["hourly_cents_by_kind"] = {
            str(k): v for k, v in values["pricing"]["hourly_cents_by_kind"].items()
        }
        values["pricing"]["free_for_kinds"] = [str(k) for k in values["pricing"]["free_for_kinds"]]
        return values


class RulesUpdate(RequestModel):
    """The rules to change; those left out stay as they are."""

    window_opens_days: Annotated[int, Field(ge=1, le=730)] | MISSING = MISSING
    window_closes_hours: Annotated[int, Field(ge=0, le=24 * 60)] | MISSING = MISSING
    min_minutes: Minutes | MISSING = MISSING
    max_minutes: Minutes | MISSING = MISSING
    start_interval_minutes: Annotated[int, Field(ge=5, le=240)] | MISSING = MISSING
    buffer_minutes: Annotated[int, Field(ge=0, le=240)] | MISSING = MISSING
    weekly_quota_minutes: Annotated[int, Field(ge=1, le=7 * 24 * 60)] | None = Field(
        default=None, description="null: no weekly quota."
    )
    needs_approval: bool | MISSING = MISSING
    free_cancellation_days: Annotated[int, Field(ge=0, le=365)] | MISSING = MISSING
    terms: LongText | MISSING = MISSING


class PricingUpdate(RequestModel):
    hourly_cents: Cents | MISSING = MISSING
    hourly_cents_by_kind: dict[Choice[ApplicantKind], Cents] | MISSING = MISSING
    free_for_kinds: list[Choice[ApplicantKind]] | MISSING = Field(default=MISSING, max_length=3)


class FacilityUpdate(RequestModel):
    """A partial update: what is left out stays; ``null`` clears only the contact and the accessibility text.
    The managing department stays. Bookings already made keep their price and their slot."""

    name: Name | MISSING = MISSING
    address: Name | MISSING = MISSING
    capacity: Annotated[int, Field(ge=1, le=100_000)] | MISSING = MISSING
    contact_id: Uuid | None = Field(default=None, description="The directory's facility_contact for it.")
    accessibility: LongText | None = None
    equipment: list[Tag] | MISSING = Field(default=MISSING, max_length=50)
    purposes: list[Tag] | MISSING = Field(default=MISSING, max_length=50)
    rules: RulesUpdate | MISSING = MISSING
    pricing: PricingUpdate | MISSING = MISSING
    weekly_hours: dict[Weekday, HoursIn] | MISSING = Field(
        default=MISSING, description="The whole weekly pattern; a weekday left out is closed."
    )
    closed_on_holidays: bool | MISSING = MISSING

    def fields(self) -> dict[str, Any]:
        values = super().fields()
        pricing = values.get("pricing", {})
        if "hourly_cents_by_kind" in pricing:
            pricing["hourly_cents_by_kind"] = {str(k): v for k, v in pricing["hourly_cents_by_kind"].items()}
        if "free_for_kinds" in pricing:
            pricing["free_for_kinds"] = [str(k) for k in pricing["free_for_kinds"]]
        return values


class HoursRead(BaseModel):
    opens: str
    closes: str


class RulesRead(BaseModel):
    window_opens_days: int
    window_closes_hours: int
    min_minutes: int
    max_minutes: int
    start_interval_minutes: int
    buffer_minutes: int
    weekly_quota_minutes: int | None
    needs_approval: bool
    free_cancellation_days: int
    terms: str


class PricingRead(BaseModel):
    hourly_cents: int
    hourly_cents_by_kind: dict[str, int]
    free_for_kinds: list[str]


class FacilityRead(BaseModel):
    id: uuid.UUID
    name: str
    department_code: str
    address: str
    capacity: int
    contact_id: uuid.UUID | None
    accessibility: str | None
    equipment: list[str]
    purposes: list[str]
    rules: RulesRead
    pricing: PricingRead
    weekly_hours: dict[str, HoursRead]
    closed_on_holidays: bool


class OpeningExceptionCreate(RequestModel):
    day: IsoDate
    opens: IsoTime | None = Field(default=None, description="Leave out both times to close the day.")
    closes: IsoTime | None = None
    reason: Reason


class OpeningExceptionRead(BaseModel):
    id: uuid.UUID
    facility_id: uuid.UUID
    day: date
    opens: str | None
    closes: str | None
    reason: str


class FreeUseCreate(RequestModel):
    applicant_id: Uuid
    facility_id: Uuid | None = Field(default=None, description="Leave out for all the department's premises.")
    valid_from: IsoDate
    valid_until: IsoDate
    reason: Reason


class FreeUseRead(BaseModel):
    id: uuid.UUID
    department_code: str
    applicant_id: uuid.UUID
    facility_id: uuid.UUID | None
    valid_from: date
    valid_until: date
    reason: str


class SlotIn(RequestModel):
    facility_id: Uuid
    applicant_id: Uuid
    starts_at: IsoDateTime = Field(examples=["2027-09-07T18:00"])
    ends_at: IsoDateTime = Field(examples=["2027-09-07T20:00"])
    repeat_until: IsoDate | None = Field(
        default=None, description="A weekly series: the same weekday and local times every week until this date."
    )
    skip_days: list[IsoDate] = Field(default=[], max_length=60, description="Dates left out of the series.")


class BookingCreate(SlotIn):
    accepts_terms: bool = False
    purpose: ShortText | None = None


class BlockCreate(RequestModel):
    facility_id: Uuid
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    reason: Reason


class ReasonIn(RequestModel):
    reason: Reason


class PlannedRead(BaseModel):
    day: date
    starts_at: datetime | None
    ends_at: datetime | None
    price_cents: int
    bookable: bool
    skipped: bool
    problem: str | None


class QuoteRead(BaseModel):
    facility_id: uuid.UUID
    hourly_cents: int
    free_use_reason: str | None
    price_cents: int = Field(description="The price of the bookable occurrences together.")
    terms: str
    needs_approval: bool
    occurrences: list[PlannedRead]


class OccurrenceRead(BaseModel):
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    price_cents: int
    active: bool
    late_cancellation: bool


class BookingRead(BaseModel):
    id: uuid.UUID
    facility_id: uuid.UUID
    department_code: str
    kind: str
    state: str
    applicant_id: uuid.UUID | None
    hourly_cents: int
    free_use_reason: str | None
    price_cents: int
    purpose: str | None
    first_day: date | None
    last_day: date | None
    skipped_days: list[date]
    decision_reason: str | None
    cancel_reason: str | None
    occurrences: list[OccurrenceRead]


class TakenRead(BaseModel):
    starts_at: datetime
    ends_at: datetime
    kind: str = Field(description="single, series or block")
    state: str
    own: bool = Field(description="One of the caller's associations' bookings.")
    booking_id: uuid.UUID | None = Field(description="Shown to the managing staff and the booker only.")
    applicant_id: uuid.UUID | None = Field(description="Shown to the managing staff and the booker only.")


class FreeRead(BaseModel):
    starts_at: datetime
    ends_at: datetime


class DayRead(BaseModel):
    day: date
    opens_at: datetime | None
    closes_at: datetime | None
    closed_because: str | None
    free: list[FreeRead]
    taken: list[TakenRead]


class AvailabilityRead(BaseModel):
    facility_id: uuid.UUID
    days: list[DayRead]


class FeedCreate(RequestModel):
    applicant_id: Uuid


class FeedRead(BaseModel):
    id: uuid.UUID
    applicant_id: uuid.UUID
    url: str = Field(description="The private link: whoever has it sees the association's bookings.")
    revoked: bool

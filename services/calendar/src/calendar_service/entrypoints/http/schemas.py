"""Request and response bodies of the calendar's API (requests strict and closed: ``shared.http.schemas``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from calendar_service.domain.annual_clock import Audience, Category
from calendar_service.domain.schedule import EntryState, SourceKind
from shared.http.schemas import MISSING, NOT_BLANK, Choice, RequestModel, Uuid

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5_000)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), NOT_BLANK]
Month = Annotated[int, Field(ge=1, le=12)]
Day = Annotated[int, Field(ge=1, le=31)]
Weekday = Annotated[int, Field(ge=0, le=6, description="0 is Monday, 6 Sunday.")]
Week = Annotated[int, Field(ge=-1, le=4, description="1–4, or -1 for the last such weekday of the month.")]
Duration = Annotated[int, Field(ge=1, le=92)]

RULE = (
    "When in the year: `month` alone is the whole month; with `day` a fixed date; with `weekday` and `week` the "
    "n-th (or last) weekday of the month. `duration_days` widens a date."
)


class ClockEntryCreate(RequestModel):
    __doc__ = RULE
    title_fi: Title
    title_sv: Title | None = None
    title_en: Title | None = None
    description_fi: Text = ""
    description_sv: Text | None = None
    description_en: Text | None = None
    category: Choice[Category]
    audience: Choice[Audience] = Audience.EVERYONE
    month: Month
    day: Day | None = None
    weekday: Weekday | None = None
    week: Week | None = None
    duration_days: Duration = 1
    responsible_department: Code | None = Field(default=None, description="The department's code.")
    responsible_liaison_id: Uuid | None = Field(default=None, description="A liaison contact's id (directory).")


class ClockEntryUpdate(RequestModel):
    """A partial update; ``null`` clears only the optional fields."""

    title_fi: Title | MISSING = MISSING
    title_sv: Title | None = None
    title_en: Title | None = None
    description_fi: Text | MISSING = MISSING
    description_sv: Text | None = None
    description_en: Text | None = None
    category: Choice[Category] | MISSING = MISSING
    audience: Choice[Audience] | MISSING = MISSING
    month: Month | MISSING = MISSING
    day: Day | None = None
    weekday: Weekday | None = None
    week: Week | None = None
    duration_days: Duration | MISSING = MISSING
    responsible_department: Code | None = None
    responsible_liaison_id: Uuid | None = None
    active: bool | MISSING = MISSING


class ClockEntryRead(BaseModel):
    id: uuid.UUID
    title_fi: str
    title_sv: str | None
    title_en: str | None
    description_fi: str
    description_sv: str | None
    description_en: str | None
    category: Category
    audience: Audience
    month: int
    day: int | None
    weekday: int | None
    week: int | None
    duration_days: int
    when_fi: str = Field(description="The rule in Finnish words, e.g. 'maaliskuun 2. tiistai'.")
    responsible_department: str | None
    responsible_liaison_id: uuid.UUID | None
    active: bool


class GenerateSchedule(RequestModel):
    year: int = Field(ge=2000, le=2100)


class Generated(BaseModel):
    year: int
    written: int = Field(description="Entries written or removed now; 0 when the year already followed the clock.")


class ScheduleEntryRead(BaseModel):
    id: uuid.UUID
    kind: SourceKind
    source_id: uuid.UUID
    year: int | None
    category: Category
    audience: Audience
    title_fi: str
    title_sv: str | None
    title_en: str | None
    description_fi: str | None
    starts_on: date
    ends_on: date
    starts_at: datetime | None
    ends_at: datetime | None
    state: EntryState
    clock_entry_id: uuid.UUID | None
    programme_id: uuid.UUID | None
    association_id: uuid.UUID | None = Field(description="Set on an association's own entry (never public).")
    facility_id: uuid.UUID | None
    address: str | None
    online_url: str | None

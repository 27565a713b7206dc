"""Bodies of partnership calls, agreements and their yearly discussions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from grants.domain.partnership import AgreementState, Initiative
from grants.domain.premises import MAX_FACILITIES
from grants.entrypoints.http.schemas.common import In, Name, Tag, Text
from shared.http.schemas import MISSING, NOT_BLANK, Choice, IsoDate, IsoDateTime, Uuid

LOCAL = "A Helsinki wall-clock time such as 2027-03-31T16:00, or a time with its offset."
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), NOT_BLANK]
LiaisonIds = Annotated[
    list[Uuid],
    Field(max_length=10, description="The city's responsible persons: liaison contacts in the directory."),
]

PREMISES = "What the agreement says of the department's premises; null: nothing. The department sets them."


class PremisesTermsIn(In):
    free_use: bool = Field(description="The partner uses the department's premises free of charge.")
    facility_ids: list[Uuid] = Field(
        default=[],
        max_length=MAX_FACILITIES,
        description="The facilities (bookings' ids) the terms cover, each once; none: all the department's premises.",
    )


class PremisesTermsRead(BaseModel):
    free_use: bool
    facility_ids: list[uuid.UUID] = Field(description="None: all the department's premises.")


class CallCreate(In):
    department_code: Tag = Field(description="The department that prepares the agreements applied for.")
    title: Name
    description: Text = ""
    fields_of_activity: list[Tag] = Field(default=[], max_length=20)
    closes_at: IsoDateTime = Field(description=LOCAL)


class CallRead(BaseModel):
    id: uuid.UUID
    department_code: str
    title: str
    description: str
    fields_of_activity: list[str]
    closes_at: datetime
    is_open: bool = Field(default=False, description="Whether applications are accepted now.")
    created_at: datetime | None


class AgreementCreate(In):
    applicant_id: Uuid = Field(description="The association (registered) the agreement would be made with.")
    department_code: Tag | None = Field(default=None, description="The department of the domain; a call's own.")
    call_id: Uuid | None = Field(default=None, description="When applying to a call.")
    initiative: Choice[Initiative] | None = Field(
        default=None,
        description="Staff: city_staff (default) or elected_official; associations: association, or call.",
    )
    title: Name
    goals: Text = ""
    starts_on: IsoDate | None = Field(default=None, description="The term's first day.")
    ends_on: IsoDate | None = Field(default=None, description="The term's last day: one to five years on.")
    responsible_liaison_ids: LiaisonIds = Field(default=[])
    premises: PremisesTermsIn | None = Field(default=None, description=PREMISES)


class AgreementUpdate(In):
    """Fields the caller may still change: the association its proposal, the department while preparing it
    (and the responsible persons as long as the agreement lives). Only the term's dates and the premises terms
    may be cleared."""

    title: Name | MISSING = MISSING
    goals: Text | MISSING = MISSING
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    responsible_liaison_ids: LiaisonIds | MISSING = MISSING
    department_code: Tag | MISSING = Field(default=MISSING, description="Hand it to the department of its domain.")
    premises: PremisesTermsIn | None = Field(default=None, description=PREMISES)


class AgreementSign(In):
    starts_on: IsoDate | None = Field(default=None, description="Fix the term when signing; else the one prepared.")
    ends_on: IsoDate | None = None


class AgreementRead(BaseModel):
    id: uuid.UUID
    applicant_id: uuid.UUID
    applicant_name: str | None = Field(default=None, description="The association's public name.")
    department_code: str
    initiative: Initiative
    call_id: uuid.UUID | None
    title: str
    goals: str
    state: AgreementState
    starts_on: date | None
    ends_on: date | None
    responsible_liaison_ids: list[uuid.UUID]
    premises: PremisesTermsRead | None = Field(description="What it says of the department's premises; null: nothing.")
    signed_at: datetime | None
    ended_at: datetime | None
    ended_on: date | None = Field(description="The last day in force, once ended.")
    rejection_reason: str | None = Field(default=None, description="Why the proposal was not taken further.")
    discussion_due_dates: list[date] = Field(description="The yearly partnership discussions owed during the term.")
    version: int
    created_at: datetime | None
    updated_at: datetime | None


class Rejection(In):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), NOT_BLANK] = Field(
        description="Why the proposal is not taken further: the association reads it."
    )


class AgreedActionBody(In):
    action: Short
    owner: Name = Field(description="Who sees to it: the association, the department, or a role.")
    due_on: IsoDate | None = None


class DiscussionRecord(In):
    held_on: IsoDate
    due_on: IsoDate | None = Field(
        default=None, description="Which agreement-year's discussion this was; the oldest still owed by default."
    )
    notes: Text | None = None
    agreed_actions: list[AgreedActionBody] = Field(default=[], max_length=50)


class DiscussionUpdate(In):
    """A correction; only the notes may be cleared."""

    held_on: IsoDate | MISSING = MISSING
    notes: Text | None = None
    agreed_actions: list[AgreedActionBody] | MISSING = Field(default=MISSING, max_length=50)


class AgreedActionRead(BaseModel):
    action: str
    owner: str
    due_on: date | None


class DiscussionRead(BaseModel):
    id: uuid.UUID
    agreement_id: uuid.UUID
    due_on: date
    held_on: date | None
    notes: str | None
    agreed_actions: list[AgreedActionRead]
    due_notice_sent_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from grants.domain.usage_report import NARRATIVE_MAX_LENGTH, STAFF_MESSAGE_MAX_LENGTH, UsageReportState
from grants.entrypoints.http.schemas.common import Cents, In
from shared.http.schemas import NOT_BLANK

Narrative = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NARRATIVE_MAX_LENGTH), NOT_BLANK
]
Message = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=STAFF_MESSAGE_MAX_LENGTH), NOT_BLANK
]


class UsageReportSubmit(In):
    spent_cents: Cents = Field(description="What the grant was spent on in total, in cents.")
    narrative: Narrative = Field(description="How the money was used and what it achieved.")


class UsageReportChangesRequest(In):
    message: Message = Field(description="What the grantee should add or correct; the grantee sees it.")


class UsageReportRead(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    round_id: uuid.UUID | None
    programme_id: uuid.UUID | None
    approved_cents: int | None = Field(description="The grant the report accounts for.")
    due_date: date = Field(description="A Helsinki date: the report is on time until midnight in Pori.")
    state: UsageReportState
    spent_cents: int | None
    narrative: str | None
    staff_message: str | None = Field(description="The department's request for changes, if any.")
    submitted_at: datetime | None = Field(description="The first submission; the deadline is judged by it.")
    accepted_at: datetime | None
    late: bool = Field(description="First submitted after the due date.")
    overdue: bool = Field(description="Still owed after the due date.")
    due_reminder_sent_at: datetime | None
    overdue_notice_sent_at: datetime | None
    updated_at: datetime | None


class ProgrammeRealisationRead(BaseModel):
    programme_id: uuid.UUID
    programme_name: str
    programme_kind: str
    department_code: str
    round_id: uuid.UUID
    round_state: str
    appropriation_cents: int
    granted_cents: int = Field(description="Sum of published decisions.")
    grants: int = Field(description="Published decisions of more than zero euros.")
    reported_cents: int = Field(description="Spent according to accepted usage reports.")
    awaiting_review_cents: int = Field(description="Spent according to reports submitted, not yet reviewed.")
    reports: int = Field(description="Usage reports owed: one per grant.")
    reports_submitted: int = Field(description="Reports received at least once, in time or late.")
    reports_accepted: int
    reports_late: int = Field(description="Reports first submitted after their due date.")
    reports_overdue: int = Field(description="Reports still owed after their due date, as of the summary's date.")


class RealisationTotals(BaseModel):
    appropriation_cents: int
    granted_cents: int
    grants: int
    reported_cents: int
    awaiting_review_cents: int
    reports: int
    reports_submitted: int
    reports_accepted: int
    reports_late: int
    reports_overdue: int


class RealisationRead(BaseModel):
    year: int
    as_of: date = Field(description="The Helsinki date the overdue counts refer to.")
    programmes: list[ProgrammeRealisationRead]
    totals: RealisationTotals

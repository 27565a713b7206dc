"""Bodies of applications (the applicant's view), reviews and decisions (the staff's view)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from grants.domain.application import ApplicationState
from grants.domain.budget import MAX_ATTACHMENT_BYTES, LineKind
from grants.entrypoints.http.schemas.common import Cents, In, Name, PositiveCents, Text
from shared.contracts.directory import ApplicantKind
from shared.http.schemas import NOT_BLANK, Choice, Uuid

Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5_000), NOT_BLANK]
Purpose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000), NOT_BLANK]
Criterion = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class BudgetLineIn(In):
    kind: Choice[LineKind]
    description: Name
    amount_cents: PositiveCents


class AttachmentIn(In):
    """Metadata of a file kept in the document store; the file itself does not travel here."""

    name: Name
    content_type: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=100)]
    size_bytes: int = Field(gt=0, le=MAX_ATTACHMENT_BYTES, description="At most 20 MB.")


BUDGET_RULE = "Expense and income lines; requested_cents must equal the expenses less the income."


class ApplicationCreate(In):
    round_id: Uuid
    applicant_id: Uuid = Field(description="The association, group or person applying: one in your token.")
    purpose: Purpose
    planned_activity: Text = ""
    requested_cents: PositiveCents
    budget: list[BudgetLineIn] = Field(min_length=1, max_length=200, description=BUDGET_RULE)
    attachments: list[AttachmentIn] = Field(default=[], max_length=50)


class ApplicationUpdate(In):
    purpose: Purpose | None = None
    planned_activity: Text | None = None
    requested_cents: PositiveCents | None = None
    budget: list[BudgetLineIn] | None = Field(default=None, min_length=1, max_length=200, description=BUDGET_RULE)
    attachments: list[AttachmentIn] | None = Field(default=None, max_length=50)

    def changes(self) -> dict[str, object]:
        """The fields sent; an explicit null leaves the field as it was."""
        return {k: v for k, v in self.fields().items() if v is not None}


class BudgetLineRead(BaseModel):
    kind: LineKind
    description: str
    amount_cents: int


class AttachmentRead(BaseModel):
    name: str
    content_type: str
    size_bytes: int


class DecisionRead(BaseModel):
    approved_cents: int
    rationale: str
    decided_at: datetime


class ApplicationRead(BaseModel):
    """What the applicant sees: its own content, any completion request, and the decision once published."""

    id: uuid.UUID
    round_id: uuid.UUID
    applicant_id: uuid.UUID
    state: ApplicationState
    purpose: str
    planned_activity: str
    requested_cents: int
    budget: list[BudgetLineRead]
    attachments: list[AttachmentRead]
    completion_request: str | None
    submitted_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    decision: DecisionRead | None = Field(default=None, description="Shown once the decisions are published.")


class CompletionRequest(In):
    message: Message


class CommentCreate(In):
    body: Message


class CommentRead(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    author: str
    body: str
    created_at: datetime | None


class ScoresIn(In):
    scores: dict[Criterion, Annotated[int, Field(ge=0, le=5)]] = Field(
        min_length=1, max_length=30, description="Criterion -> score 0–5; replaces your earlier score per criterion."
    )


class ScoreRead(BaseModel):
    reviewer: str
    criterion: str
    score: int


class ScoresRead(BaseModel):
    scores: list[ScoreRead]
    criterion_averages: dict[str, float]
    average_score: float | None


class StaffDecisionRead(DecisionRead):
    decided_by: str


class ReviewSummary(BaseModel):
    """One line of a round's list for reviewers."""

    id: uuid.UUID
    applicant_id: uuid.UUID
    applicant_name: str | None = Field(description="None for a private person: ask the directory.")
    applicant_kind: ApplicantKind | None
    state: ApplicationState
    purpose: str
    requested_cents: int
    submitted_at: datetime | None
    overdue_usage_report: bool = Field(description="The applicant owes a usage report past its deadline.")
    average_score: float | None
    decision: StaffDecisionRead | None


class ReviewRead(ReviewSummary):
    """The whole application as reviewers see it, with their internal comments and scores."""

    round_id: uuid.UUID
    planned_activity: str
    budget: list[BudgetLineRead]
    attachments: list[AttachmentRead]
    completion_request: str | None
    comments: list[CommentRead]
    scores: ScoresRead


class DecisionIn(In):
    approved_cents: Cents = Field(description="0 … the amount applied for.")
    rationale: Message


class DecisionResult(BaseModel):
    application_id: uuid.UUID
    state: ApplicationState
    decision: StaffDecisionRead


class PublicationRead(BaseModel):
    round_id: uuid.UUID
    round_state: str
    published_at: datetime
    decisions: int = Field(description="Decisions this publication made public.")
    granted_cents: int
    usage_reports: int = Field(description="Usage-report obligations created for approved grants.")

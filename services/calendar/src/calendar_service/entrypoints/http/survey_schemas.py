"""Bodies of the feedback surveys' requests and answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from calendar_service.domain.survey import QuestionKind, SurveyAudience, SurveyState
from calendar_service.entrypoints.http.event_schemas import Code, Moment
from calendar_service.entrypoints.http.schemas import Text, Title
from shared.http.schemas import MISSING, NOT_BLANK, Choice, RequestModel, Uuid

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]
Option = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200)]
AnswerValue = int | str | list[str] | None


class QuestionBody(RequestModel):
    key: Key = Field(description="The question's key in answers, e.g. `overall`.")
    kind: Choice[QuestionKind]
    text_fi: Title
    options: list[Option] = Field(default_factory=list, max_length=20, description="Of a choice question: 2–20.")
    required: bool = False


Questions = Annotated[list[QuestionBody], Field(min_length=1, max_length=50)]
Year = Annotated[int, Field(ge=2000, le=2100)]


class SurveyCreate(RequestModel):
    title_fi: Title
    description_fi: Text = ""
    department_code: Code
    audience: Choice[SurveyAudience]
    event_id: Uuid | None = Field(default=None, description="The event asked about (audience event_participants).")
    year: Year | None = Field(default=None, description="The year the yearly evaluation evaluates.")
    opens_at: Moment
    closes_at: Moment
    questions: Questions

    def domain_fields(self) -> dict[str, Any]:
        from calendar_service.domain.survey import Question

        fields = self.model_dump(exclude={"questions"})
        return fields | {"questions": [Question(**q.model_dump()) for q in self.questions]}


class SurveyUpdate(RequestModel):
    """A partial update of a draft; ``null`` clears only the optional fields."""

    title_fi: Title | MISSING = MISSING
    description_fi: Text | MISSING = MISSING
    year: Year | None = None
    opens_at: Moment | MISSING = MISSING
    closes_at: Moment | MISSING = MISSING
    questions: Questions | MISSING = MISSING

    def domain_changes(self) -> dict[str, Any]:
        from calendar_service.domain.survey import Question

        changes = self.model_dump(exclude_unset=True, exclude={"questions"})
        if "questions" in self.model_fields_set and isinstance(self.questions, list):
            changes["questions"] = [Question(**q.model_dump()) for q in self.questions]
        return changes


class Opening(RequestModel):
    """Nothing to say: a survey of an event invites its confirmed registrations, the yearly evaluation every
    active association the calendar knows of the directory (a count is no longer taken: 422)."""


class AnswerCreate(RequestModel):
    token: Token = Field(description="The invitation's token (answers once; no sign-in).")
    answers: dict[str, AnswerValue] = Field(
        max_length=50,
        description="By question key: a scale 1–5, one option, a list of options, or free text.",
    )


class QuestionRead(BaseModel):
    key: str
    kind: QuestionKind
    text_fi: str
    options: list[str]
    required: bool


class SurveyRead(BaseModel):
    id: uuid.UUID
    title_fi: str
    description_fi: str
    department_code: str
    audience: SurveyAudience
    event_id: uuid.UUID | None
    year: int | None
    opens_at: datetime
    closes_at: datetime
    state: SurveyState
    invitations: int
    questions: list[QuestionRead]


class InvitationRead(BaseModel):
    invitation_id: uuid.UUID
    token: str = Field(description="Derived from the invitation's id (ADR 0013); only its hash is kept.")
    registration_id: uuid.UUID | None
    association_id: uuid.UUID | None


class HandedInvitationRead(BaseModel):
    """An invitation for the notifier to mail (a ``service`` token only)."""

    invitation_id: uuid.UUID
    association_id: uuid.UUID | None = Field(description="The association the yearly evaluation invites.")
    registration_id: uuid.UUID | None = Field(description="The registration an event's survey invites.")
    answer_url: str = Field(description="A capability link: the token is in its fragment (`#token=`).")


class InvitationPageRead(BaseModel):
    items: list[HandedInvitationRead]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class ContactRead(BaseModel):
    email: str
    name: str | None
    language: str


class ContactsRead(BaseModel):
    items: list[ContactRead]


class OpenedSurveyRead(SurveyRead):
    issued: list[InvitationRead] = Field(
        description="The invitations and their tokens (the notifier mails them; see /surveys/{id}/invitations)."
    )


class AnswerReceipt(BaseModel):
    received: bool = True


class QuestionResultRead(BaseModel):
    key: str
    kind: QuestionKind
    text_fi: str
    answered: int
    suppressed: bool = Field(description="True: fewer than five answers, not broken down.")
    counts: dict[str, int] | None
    mean: float | None
    texts: list[str] | None = Field(description="Free-text answers, to staff only.")


class SurveyResultsRead(BaseModel):
    survey_id: uuid.UUID
    title_fi: str
    state: SurveyState
    invitations: int
    answers: int
    suppressed: bool = Field(description="True: fewer than five answers in all, nothing broken down.")
    questions: list[QuestionResultRead]

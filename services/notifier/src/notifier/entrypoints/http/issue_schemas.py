"""Request and response bodies of the staff's newsletter issues (``IssueCreate`` / ``IssueUpdate`` /
``IssueRead``). A time without an offset is Helsinki wall-clock time (``IsoDateTime``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from notifier.domain.issue import Issue, IssueState
from notifier.domain.subscriber import Language
from notifier.entrypoints.http.schemas import Term
from notifier.service_layer.issues import IssueWithProgress
from shared.http.schemas import MISSING, NOT_BLANK, Choice, IsoDateTime, RequestModel, Uuid

Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100_000), NOT_BLANK]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), NOT_BLANK]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)]


class AudienceIn(RequestModel):
    """Everyone (every list empty), or the subscribers matching each list given (any one of its terms)."""

    fields_of_activity: list[Term] = Field(default=[], max_length=30)
    association_kinds: list[Term] = Field(default=[], max_length=30)
    districts: list[Term] = Field(default=[], max_length=30)
    languages: list[Choice[Language]] = Field(default=[], max_length=3)

    def domain(self) -> dict[str, Any]:
        return {
            "fields_of_activity": list(self.fields_of_activity), "association_kinds": list(self.association_kinds),
            "districts": list(self.districts), "languages": [str(x) for x in self.languages],
        }  # fmt: skip


class AudienceRead(BaseModel):
    fields_of_activity: list[str]
    association_kinds: list[str]
    districts: list[str]
    languages: list[Language]


class IssueCreate(RequestModel):
    """Subject and Markdown body in Finnish; Swedish and English each both or neither."""

    subject_fi: Subject
    body_fi: Body
    subject_sv: Subject | None = None
    body_sv: Body | None = None
    subject_en: Subject | None = None
    body_en: Body | None = None
    audience: AudienceIn = Field(default_factory=AudienceIn)
    department_code: Code | None = Field(default=None, description="Defaults to the staff member's department.")

    def domain(self) -> dict[str, Any]:
        fields = self.model_dump(exclude={"audience"})
        return fields | self.audience.domain()


class IssueUpdate(RequestModel):
    """What is left out stays; the Swedish and English versions may be cleared (``null``)."""

    subject_fi: Subject | MISSING = MISSING
    body_fi: Body | MISSING = MISSING
    subject_sv: Subject | None = None
    body_sv: Body | None = None
    subject_en: Subject | None = None
    body_en: Body | None = None
    audience: AudienceIn | MISSING = MISSING

    def domain(self) -> dict[str, Any]:
        fields = self.model_dump(exclude_unset=True, exclude={"audience"})
        if "audience" in self.model_fields_set:
            fields |= self.audience.domain()  # type: ignore[union-attr]
        return fields


class Progress(BaseModel):
    pending: int
    sent: int
    failed: int


class IssueRead(BaseModel):
    id: uuid.UUID
    state: IssueState
    subject_fi: str
    body_fi: str
    subject_sv: str | None
    body_sv: str | None
    subject_en: str | None
    body_en: str | None
    audience: AudienceRead
    department_code: str
    created_by: str
    send_at: datetime | None
    sent_at: datetime | None
    recipients: int | None
    clock_entry_id: uuid.UUID | None = Field(description="The annual clock's entry it was scheduled on, if one.")
    created_at: datetime | None
    progress: Progress | None = Field(default=None, description="The deliveries of its sending (in one issue).")

    @classmethod
    def of(cls, issue: Issue | IssueWithProgress) -> IssueRead:
        found = issue.issue if isinstance(issue, IssueWithProgress) else issue
        progress = issue.progress if isinstance(issue, IssueWithProgress) else None
        audience = AudienceRead(
            fields_of_activity=found.fields_of_activity, association_kinds=found.association_kinds,
            districts=found.districts, languages=[Language(x) for x in found.languages],
        )  # fmt: skip
        names = ("subject_fi", "body_fi", "subject_sv", "body_sv", "subject_en", "body_en", "department_code")
        return cls(
            id=found.id, state=found.state, audience=audience, created_by=found.created_by, send_at=found.send_at,
            sent_at=found.sent_at, recipients=found.recipients, created_at=found.created_at,
            clock_entry_id=found.clock_entry_id,
            progress=Progress(**vars(progress)) if progress else None,
            **{n: getattr(found, n) for n in names},
        )  # fmt: skip


class IssueSchedule(RequestModel):
    """Exactly one of: a time, or one of the annual clock's planned dates (``GET /newsletter-dates``)."""

    send_at: IsoDateTime | None = Field(
        default=None, description="In the future; without an offset a Helsinki wall-clock time."
    )
    newsletter_date_id: Uuid | None = Field(
        default=None,
        description="A planned date's id: the issue goes out that day at the notifier's `newsletter_send_hour` "
        "(09:00 unless set), Helsinki time.",
    )


class TestMailCreate(RequestModel):
    email: Address = Field(description="The staff member's own address; the mail is marked as a test.")
    language: Choice[Language] = Language.FI


class TestMailAccepted(BaseModel):
    status: str = "queued"
    issue_id: uuid.UUID


class Preview(BaseModel):
    language: Language
    subject: str
    html: str
    text: str

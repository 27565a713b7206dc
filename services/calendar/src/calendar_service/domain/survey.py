"""Feedback surveys (palautekyselyt): after an event, to its participants, and the yearly evaluation of the
programme, to all associations.

A survey is a draft while staff write its questions; opening it makes its invitations, closing it ends the
answering (so does its ``closes_at``). Answers are **anonymous, one per invitation**: an invitation's token is
an HMAC of its random id under the calendar's signing key (ADR 0013), so the calendar can hand it again
without storing it; only the token's hash is kept; answering marks it used, and the answer is stored apart,
under a random id, with the day only, in the same transaction, so nothing in the answer joins to the
invitation (see ``adapters/surveys.py`` for how even the rows' order and transaction ids are kept from joining
them).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.errors import Conflict, InvalidInput
from shared.signing import sign

SCALE = range(1, 6)  # 1 (poor) to 5 (excellent)
MAX_FREE_TEXT = 2_000


class QuestionKind(StrEnum):
    SCALE = "scale"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    FREE_TEXT = "free_text"


CHOICES = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class SurveyAudience(StrEnum):
    EVENT_PARTICIPANTS = "event_participants"  # an event's confirmed registrations
    ALL_ASSOCIATIONS = "all_associations"  # the yearly evaluation of the programme


class SurveyState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


@dataclass
class Question:
    key: str
    kind: QuestionKind
    text_fi: str
    options: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class Survey:
    id: uuid.UUID
    title_fi: str
    department_code: str
    audience: SurveyAudience
    opens_at: datetime
    closes_at: datetime
    questions: list[Question]
    event_id: uuid.UUID | None = None
    year: int | None = None  # the year the yearly evaluation evaluates
    description_fi: str = ""
    state: SurveyState = SurveyState.DRAFT
    invitations: int = 0
    revision: int = 1
    created_at: datetime | None = field(default=None, compare=False)
    updated_at: datetime | None = field(default=None, compare=False)

    def validate(self) -> None:
        if self.closes_at <= self.opens_at:
            raise InvalidInput("The survey must close after it opens.", field="closes_at")
        if self.audience is SurveyAudience.EVENT_PARTICIPANTS and self.event_id is None:
            raise InvalidInput("A survey of an event's participants names the event.", field="event_id")
        if self.audience is SurveyAudience.ALL_ASSOCIATIONS and self.event_id is not None:
            raise InvalidInput("The yearly evaluation is not about one event.", field="event_id")
        if not self.questions:
            raise InvalidInput("A survey asks at least one question.", field="questions")
        keys = [q.key for q in self.questions]
        if len(set(keys)) != len(keys):
            raise InvalidInput("Each question has a key of its own.", field="questions")
        for i, question in enumerate(self.questions):
            _check_question(question, f"questions.{i}")

    def ensure_draft(self) -> None:
        if self.state is not SurveyState.DRAFT:
            raise Conflict(f"The survey is {self.state.value}; only a draft changes.", field="state")

    def open(self, now: datetime, invitations: int) -> None:
        self.ensure_draft()
        if now >= self.closes_at:
            raise Conflict("The survey's closing time has passed; move it first.", field="closes_at")
        if invitations < 1:
            raise Conflict("Nobody to invite: the survey needs at least one invitation.", field="invitations")
        self.state, self.invitations = SurveyState.OPEN, invitations
        self.revision += 1

    def close(self) -> None:
        if self.state is not SurveyState.OPEN:
            raise Conflict("Only an open survey is closed.", field="state")
        self.state = SurveyState.CLOSED
        self.revision += 1

    def ensure_accepts_answers(self, now: datetime) -> None:
        if self.state is not SurveyState.OPEN or now >= self.closes_at:
            raise Conflict("The survey is closed.", field="token")
        if now < self.opens_at:
            raise Conflict("The survey has not opened yet.", field="token")

    def check_answer(self, answers: dict[str, Any]) -> dict[str, Any]:
        """The answers as stored (blank free text left out); refused naming ``answers.<key>`` where they do not
        fit their question."""
        asked = {q.key: q for q in self.questions}
        for key in answers:
            if key not in asked:
                shown = key.encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate, escaped
                raise InvalidInput(f"The survey has no question {shown!r}.", field=f"answers.{shown}")
        fitted: dict[str, Any] = {}
        for key, question in asked.items():
            value = answers.get(key)
            if value is not None:
                value = _fit(question, value, f"answers.{key}")
            if value is None:
                if question.required:
                    raise InvalidInput("This question must be answered.", field=f"answers.{key}")
                continue
            fitted[key] = value
        return fitted


def _check_question(question: Question, where: str) -> None:
    if not question.key or len(question.key) > 40:
        raise InvalidInput("A question's key is 1–40 characters.", field=f"{where}.key")
    if question.kind in CHOICES:
        if not 2 <= len(question.options) <= 20:
            raise InvalidInput("A choice question has 2–20 options.", field=f"{where}.options")
        if len(set(question.options)) != len(question.options):
            raise InvalidInput("The options differ from each other.", field=f"{where}.options")
    elif question.options:
        raise InvalidInput(f"A {question.kind.value} question has no options.", field=f"{where}.options")


def _fit(question: Question, value: Any, where: str) -> Any:
    """The value as stored, or None for an empty answer; InvalidInput when it is not an answer to ``question``."""
    match question.kind:
        case QuestionKind.SCALE:
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
                raise InvalidInput("Answer with a whole number from 1 to 5.", field=where)
            return value
        case QuestionKind.SINGLE_CHOICE:
            if not isinstance(value, str) or value not in question.options:
                raise InvalidInput("Answer with one of the question's options.", field=where)
            return value
        case QuestionKind.MULTIPLE_CHOICE:
            if not isinstance(value, list) or not all(isinstance(v, str) and v in question.options for v in value):
                raise InvalidInput("Answer with a list of the question's options.", field=where)
            if len(set(value)) != len(value):
                raise InvalidInput("Choose each option at most once.", field=where)
            return [o for o in question.options if o in value] or None
        case QuestionKind.FREE_TEXT:
            if not isinstance(value, str) or not _storable(value):
                raise InvalidInput("Answer with text (Unicode characters, no lone surrogates).", field=where)
            if len(value) > MAX_FREE_TEXT:
                raise InvalidInput(f"Answer in at most {MAX_FREE_TEXT} characters.", field=where)
            return value.strip() or None


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- invitations -----------------------------------------------------------------------------------------------


TOKEN_PURPOSE = "survey-invitation"


def invitation_token(key: str, invitation_id: uuid.UUID) -> str:
    """The invitation's token: ``HMAC-SHA256(key, "survey-invitation:<id>")``, base64url (256 bits). Never
    stored; derived again whenever the invitation is handed out (ADR 0013)."""
    return sign(key, TOKEN_PURPOSE, invitation_id)


def token_hash(token: str) -> str:
    """What is stored of a token. A plain hash suffices: without the key nobody can make a token to try."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Invitation:
    survey_id: uuid.UUID
    token_hash: str
    used: bool = False
    registration_id: uuid.UUID | None = None  # whom an event survey invites, or
    association_id: uuid.UUID | None = None  # which association the yearly evaluation invites
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def issue(
        cls, key: str, survey_id: uuid.UUID, *, registration_id: uuid.UUID | None = None,
        association_id: uuid.UUID | None = None,
    ) -> tuple[Invitation, str]:  # fmt: skip
        """A new invitation and its token."""
        invitation_id = uuid.uuid4()
        token = invitation_token(key, invitation_id)
        invitation = cls(survey_id, token_hash(token), registration_id=registration_id,
                         association_id=association_id, id=invitation_id)  # fmt: skip
        return invitation, token

    def token(self, key: str) -> str | None:
        """The token again, or None for an invitation made before tokens were derived (its token was random)."""
        token = invitation_token(key, self.id)
        return token if token_hash(token) == self.token_hash else None

    def use(self) -> None:
        if self.used:
            raise Conflict("This invitation has already been answered.", field="token")
        self.used = True

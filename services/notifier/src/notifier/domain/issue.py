"""A newsletter issue: composed in Markdown per language, aimed at a segment, scheduled or sent now, cancelled.

Sending is a fan-out of one delivery per recipient; the issue is ``sending`` until every delivery is done.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from notifier.domain.subscriber import Language, Subscriber, SubscriberState, clean_terms
from shared.errors import Conflict, InvalidInput


def _encodable(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


class IssueState(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


@dataclass
class Issue:
    id: uuid.UUID
    subject_fi: str
    body_fi: str
    department_code: str
    created_by: str
    state: IssueState = IssueState.DRAFT
    subject_sv: str | None = None
    body_sv: str | None = None
    subject_en: str | None = None
    body_en: str | None = None
    fields_of_activity: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    association_kinds: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    send_at: datetime | None = None
    fan_out_at: datetime | None = None
    sent_at: datetime | None = None
    recipients: int | None = None
    clock_entry_id: uuid.UUID | None = None  # scheduled on the annual clock's planned date of this entry
    created_at: datetime | None = None

    def validate(self) -> None:
        for lang in ("fi", "sv", "en"):
            subject, body = getattr(self, f"subject_{lang}"), getattr(self, f"body_{lang}")
            if lang != "fi" and (subject is None) != (body is None):
                raise InvalidInput(f"Give both the subject and the body in {lang}, or neither.", field=f"body_{lang}")
            if subject is not None and not subject.strip():
                raise InvalidInput("The subject cannot be empty.", field=f"subject_{lang}")
            if subject is not None and any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in subject):
                raise InvalidInput("The subject is one line, without control characters.", field=f"subject_{lang}")
            if body is not None and not body.strip():
                raise InvalidInput("The body cannot be empty.", field=f"body_{lang}")
            for name, value in ((f"subject_{lang}", subject), (f"body_{lang}", body)):
                if value is not None and not _encodable(value):
                    raise InvalidInput("The text holds a character that is not text (a lone surrogate).", field=name)
        self.fields_of_activity = clean_terms(self.fields_of_activity, "fields_of_activity")
        self.districts = clean_terms(self.districts, "districts")
        self.association_kinds = clean_terms(self.association_kinds, "association_kinds")
        self.languages = [str(Language(x)) for x in dict.fromkeys(self.languages)]

    def content(self, language: Language) -> tuple[Language, str, str]:
        """The subject and body in ``language``, or in Finnish where the issue has no such version."""
        subject = getattr(self, f"subject_{language.value}")
        if subject is None:
            return Language.FI, self.subject_fi, self.body_fi
        return language, subject, getattr(self, f"body_{language.value}")

    def reaches(self, s: Subscriber) -> bool:
        """The segment: each criterion given must match one of the subscriber's (or the subscriber's language)."""
        if s.state is not SubscriberState.CONFIRMED:
            return False
        if self.languages and s.language.value not in self.languages:
            return False
        return all(
            not wanted or bool(set(wanted) & set(have))
            for wanted, have in (
                (self.fields_of_activity, s.fields_of_activity),
                (self.districts, s.districts),
                (self.association_kinds, s.association_kinds),
            )
        )

    def ensure_editable(self) -> None:
        if self.state not in (IssueState.DRAFT, IssueState.SCHEDULED):
            raise Conflict(f"An issue that is {self.state.value} can no longer be changed.", field="state")

    def schedule(self, send_at: datetime, now: datetime, clock_entry_id: uuid.UUID | None = None) -> None:
        """At ``send_at``; on the planned date of ``clock_entry_id`` when scheduled from the annual clock."""
        self.ensure_editable()
        if send_at <= now:
            raise InvalidInput("The sending time must be in the future; use send now.", field="send_at")
        self.state, self.send_at, self.clock_entry_id = IssueState.SCHEDULED, send_at, clock_entry_id

    def send_now(self, now: datetime) -> None:
        self.ensure_editable()
        self.state, self.send_at, self.clock_entry_id = IssueState.SCHEDULED, now, None

    def cancel(self) -> None:
        if self.state is not IssueState.SCHEDULED:
            raise Conflict("Only a scheduled issue can be cancelled.", field="state")
        self.state = IssueState.CANCELLED

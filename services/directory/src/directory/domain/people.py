"""Representatives of applicants and the city's liaison contacts. Both are people: personal data."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from directory.domain.vocabulary import RepresentativeRole
from shared.contracts.directory import LiaisonKind, MessageTopic
from shared.errors import InvalidInput

_PHONE = re.compile(r"^\+?[0-9(][0-9 ()-]{4,24}$")


def _clean_contact(person: Representative | LiaisonContact) -> None:
    person.name = person.name.strip()
    if not person.name:
        raise InvalidInput("The name cannot be empty.", field="name")
    person.email = person.email.strip().lower()
    person.phone = normalise_phone(person.phone)


def normalise_phone(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not _PHONE.match(value.strip()):
        raise InvalidInput("A phone number is digits, optionally with +, spaces and hyphens.", field="phone")
    return value.strip()


@dataclass
class Representative:
    id: uuid.UUID
    applicant_id: uuid.UUID
    name: str
    role: RepresentativeRole
    email: str
    phone: str | None = None
    # The kinds of message this person wants from the city (all of them until they choose).
    notifications: list[str] = field(default_factory=lambda: [t.value for t in MessageTopic])

    def validate(self) -> None:
        _clean_contact(self)
        try:
            chosen = {MessageTopic(t) for t in self.notifications}
        except ValueError:
            raise InvalidInput(
                f"A kind of message is one of: {', '.join(MessageTopic)}.", field="notifications"
            ) from None
        self.notifications = [t.value for t in MessageTopic if t in chosen]


@dataclass(frozen=True)
class Recipient:
    """Where a message for an association reaches one of its representatives: the address and nothing else."""

    representative_id: uuid.UUID
    association_id: uuid.UUID
    email: str
    languages: list[str]


# Which kinds answer for an object owned by another service, named by ``subject_ref``.
SUBJECT_KINDS = {
    LiaisonKind.PROGRAMME_CONTACT: "grants:programme:",
    LiaisonKind.PARTNERSHIP_CONTACT: "grants:partnership:",
    LiaisonKind.FACILITY_CONTACT: "bookings:facility:",
}


@dataclass
class LiaisonContact:
    id: uuid.UUID
    kind: LiaisonKind
    name: str
    email: str
    title: str | None = None
    phone: str | None = None
    department_id: uuid.UUID | None = None
    topics: list[str] = field(default_factory=list)
    subject_ref: str | None = None
    active: bool = True

    def validate(self) -> None:
        _clean_contact(self)
        self.topics = list(dict.fromkeys(t.strip().lower() for t in self.topics if t.strip()))
        if self.kind is not LiaisonKind.COORDINATOR and self.department_id is None:
            raise InvalidInput(
                "A liaison contact other than the coordinator belongs to a department.", field="department_id"
            )
        prefix = SUBJECT_KINDS.get(self.kind)
        if prefix is None and self.subject_ref:
            raise InvalidInput(f"A {self.kind.value} answers for no particular object.", field="subject_ref")
        if prefix is not None and not (self.subject_ref or "").startswith(prefix):
            raise InvalidInput(f"A {self.kind.value} needs subject_ref '{prefix}<id>'.", field="subject_ref")

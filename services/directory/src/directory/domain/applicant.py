"""Applicants: registered associations, unregistered groups and private persons (light grants only).

A registered association is identified by its register number; a business ID is optional (many small
associations have none) but must be valid when given. Groups and private persons have neither.
A private person's name and email are personal data: they are never published or put in events.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from directory.domain.business_id import normalise_business_id, normalise_register_number
from directory.domain.vocabulary import FIELDS_OF_ACTIVITY
from shared.contracts.directory import ApplicantKind
from shared.errors import Conflict, InvalidInput

_LANGUAGE = re.compile(r"^[a-z]{2}$")
# Fields only staff may change: they identify the legal person behind the record.
IDENTITY_FIELDS = frozenset({"kind", "business_id", "register_number"})


@dataclass
class Applicant:
    id: uuid.UUID
    kind: ApplicantKind
    name: str
    business_id: str | None = None
    register_number: str | None = None
    fields_of_activity: list[str] = field(default_factory=list)
    district: str | None = None
    languages: list[str] = field(default_factory=lambda: ["fi"])
    public_email: str | None = None
    website: str | None = None
    description: str | None = None
    active: bool = True
    revision: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def is_public(self) -> bool:
        """Listed to everyone: active and not a private person."""
        return self.active and self.kind is not ApplicantKind.PRIVATE_PERSON

    def validate(self) -> None:
        self.name = self.name.strip()
        if not self.name:
            raise InvalidInput("The name cannot be empty.", field="name")
        if self.kind is ApplicantKind.REGISTERED_ASSOCIATION:
            if not self.register_number:
                raise InvalidInput("A registered association needs its register number.", field="register_number")
            self.register_number = normalise_register_number(self.register_number)
            if self.business_id:
                self.business_id = normalise_business_id(self.business_id)
        else:
            for name in ("business_id", "register_number"):
                if getattr(self, name):
                    raise InvalidInput(f"Only a registered association has a {name.replace('_', ' ')}.", field=name)
        unknown = sorted(set(self.fields_of_activity) - FIELDS_OF_ACTIVITY)
        if unknown:
            raise InvalidInput(
                f"Unknown field of activity {', '.join(unknown)}; use one of {', '.join(sorted(FIELDS_OF_ACTIVITY))}.",
                field="fields_of_activity",
            )
        self.fields_of_activity = sorted(set(self.fields_of_activity))
        bad = [lang for lang in self.languages if not _LANGUAGE.match(lang)]
        if bad:
            raise InvalidInput("Languages are two-letter ISO 639-1 codes such as fi, sv, en.", field="languages")
        self.languages = list(dict.fromkeys(self.languages))

    def change(self, changes: dict[str, object], *, may_change_identity: bool) -> bool:
        """Apply changes; returns whether anything changed. Representatives cannot change identity fields."""
        forbidden = sorted(IDENTITY_FIELDS & changes.keys())
        if forbidden and not may_change_identity:
            raise InvalidInput(f"Only city staff may change {forbidden[0].replace('_', ' ')}.", field=forbidden[0])
        before = self.snapshot()
        for name, value in changes.items():
            setattr(self, name, value)
        self.validate()
        if self.snapshot() == before:
            return False
        self.revision += 1
        return True

    def deactivate(self) -> None:
        if not self.active:
            raise Conflict("The applicant is already inactive.")
        self.active = False
        self.revision += 1

    def reactivate(self) -> None:
        if self.active:
            raise Conflict("The applicant is already active.")
        self.active = True
        self.revision += 1

    def erase_personal_data(self) -> None:
        """For a private person who asks to be forgotten: keep the id (grants refer to it), drop the rest."""
        self.name = "(erased)"
        self.public_email = None
        self.website = None
        self.description = None
        self.district = None
        self.active = False
        self.revision += 1

    def snapshot(self) -> tuple[object, ...]:
        return (
            self.kind, self.name, self.business_id, self.register_number, tuple(self.fields_of_activity),
            self.district, tuple(self.languages), self.public_email, self.website, self.description, self.active,
        )  # fmt: skip

"""Events published by the directory service.

They carry ids and public facts only, never personal data: no names of persons, emails or phones.
A private person's applicant record therefore travels without a name (``name`` is None); services that
must show it fetch it from the directory's API with the right to see it.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import Field

from shared.contracts.envelope import EventData, contract


class ApplicantKind(StrEnum):
    REGISTERED_ASSOCIATION = "registered_association"
    UNREGISTERED_GROUP = "unregistered_group"
    PRIVATE_PERSON = "private_person"


class MessageTopic(StrEnum):
    """The kinds of message the city sends an association's representatives; each representative chooses which
    they get, and the directory's recipients endpoint answers only those who chose the topic asked for."""

    GRANTS = "grants"  # rounds opening, applications received or returned, decisions, usage reports
    PARTNERSHIP = "partnership"  # partnership agreements and their yearly discussions
    BOOKINGS = "bookings"  # bookings confirmed, rejected or cancelled, seasonal allocation results
    EVENTS = "events"  # events for associations, registrations, feedback surveys


class LiaisonKind(StrEnum):
    COORDINATOR = "coordinator"
    DEPARTMENT_CONTACT = "department_contact"
    PROGRAMME_CONTACT = "programme_contact"
    PARTNERSHIP_CONTACT = "partnership_contact"
    FACILITY_CONTACT = "facility_contact"


class _ApplicantState(EventData):
    applicant_id: uuid.UUID
    revision: int = Field(description="Increases with every change; apply only newer revisions.")
    kind: ApplicantKind
    name: str | None = Field(description="The association's or group's name; None for a private person.")
    business_id: str | None
    fields_of_activity: list[str]
    district: str | None
    languages: list[str]
    active: bool


@contract("directory", "AssociationRegistered", 1)
class AssociationRegistered(_ApplicantState):
    """An applicant (registered association, unregistered group or private person) entered the directory."""


@contract("directory", "AssociationUpdated", 1)
class AssociationUpdated(_ApplicantState):
    """The applicant's public facts changed; carries the whole new state."""


@contract("directory", "AssociationDeactivated", 1)
class AssociationDeactivated(EventData):
    """The applicant may no longer apply or book; its record is kept."""

    applicant_id: uuid.UUID
    revision: int


@contract("directory", "AssociationReactivated", 1)
class AssociationReactivated(EventData):
    applicant_id: uuid.UUID
    revision: int


@contract("directory", "DepartmentRegistered", 1)
class DepartmentRegistered(EventData):
    """A city department (toimiala) other services can name as responsible."""

    department_id: uuid.UUID
    code: str
    name: str


@contract("directory", "LiaisonAssigned", 1)
class LiaisonAssigned(EventData):
    """A liaison contact now answers for a department, programme, partnership or facility.

    ``subject_ref`` names the object in its owner's terms, e.g. ``grants:programme:<id>``.
    """

    liaison_id: uuid.UUID
    kind: LiaisonKind
    department_id: uuid.UUID | None
    subject_ref: str | None


@contract("directory", "LiaisonUnassigned", 1)
class LiaisonUnassigned(EventData):
    liaison_id: uuid.UUID

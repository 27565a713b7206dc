"""Request and response bodies: ``XCreate`` / ``XUpdate`` / ``XRead`` per resource.

Requests are ``RequestModel``s (strict, closed). An update leaves out what it keeps; ``null`` clears a field
where the field may be empty, and the fields that may not be empty are ``X | MISSING``: optional, never null.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AnyHttpUrl, BaseModel, EmailStr, Field, StringConstraints

from directory.domain.vocabulary import RepresentativeRole
from shared.contracts.directory import ApplicantKind, LiaisonKind, MessageTopic
from shared.http.schemas import MISSING, NOT_BLANK, Choice, RequestModel, Uuid

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NOT_BLANK]
"""A business ID or register number: absent or ``null`` when there is none, never empty."""
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), NOT_BLANK]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)]


class _In(RequestModel):
    def fields(self) -> dict[str, Any]:
        """The fields the client sent, as plain values for the domain (URLs as text)."""
        return {k: str(v) if isinstance(v, AnyHttpUrl) else v for k, v in super().fields().items()}


class ApplicantCreate(_In):
    kind: Choice[ApplicantKind]
    name: Name
    business_id: Identifier | None = Field(default=None, examples=["0737546-2"])
    register_number: Identifier | None = Field(default=None, examples=["123.456"])
    fields_of_activity: list[Tag] = Field(default=[], max_length=20)
    district: ShortText | None = None
    languages: list[Tag] = Field(default=["fi"], max_length=10)
    public_email: EmailStr | None = None
    website: AnyHttpUrl | None = None
    description: LongText | None = None


class ApplicantUpdate(_In):
    kind: Choice[ApplicantKind] | MISSING = MISSING
    name: Name | MISSING = MISSING
    business_id: Identifier | None = None
    register_number: Identifier | None = None
    fields_of_activity: list[Tag] | MISSING = Field(default=MISSING, max_length=20)
    district: ShortText | None = None
    languages: list[Tag] | MISSING = Field(default=MISSING, max_length=10)
    public_email: EmailStr | None = None
    website: AnyHttpUrl | None = None
    description: LongText | None = None


class ApplicantRead(BaseModel):
    id: uuid.UUID
    kind: ApplicantKind
    name: str
    business_id: str | None
    register_number: str | None
    fields_of_activity: list[str]
    district: str | None
    languages: list[str]
    public_email: str | None
    website: str | None
    description: str | None
    active: bool
    revision: int
    created_at: datetime | None = None
    updated_at: datetime | None = None


class RepresentativeCreate(_In):
    name: Name
    role: Choice[RepresentativeRole]
    email: EmailStr
    phone: Phone | None = None
    notifications: list[Choice[MessageTopic]] | MISSING = Field(
        default=MISSING, max_length=len(MessageTopic), description="The kinds of message they want; all if left out."
    )


class RepresentativeUpdate(_In):
    name: Name | MISSING = MISSING
    role: Choice[RepresentativeRole] | MISSING = MISSING
    email: EmailStr | MISSING = MISSING
    phone: Phone | None = None
    notifications: list[Choice[MessageTopic]] | MISSING = Field(default=MISSING, max_length=len(MessageTopic))


class RepresentativeRead(BaseModel):
    id: uuid.UUID
    applicant_id: uuid.UUID
    name: str
    role: RepresentativeRole
    email: str
    phone: str | None
    notifications: list[MessageTopic]


class RecipientRead(BaseModel):
    """Where a message reaches one representative: for the city's services only."""

    representative_id: uuid.UUID
    association_id: uuid.UUID
    email: str
    languages: list[str]


class DepartmentCreate(_In):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,40}$")] = Field(examples=["culture-and-leisure"])
    name: Name
    description: LongText | None = None


class DepartmentRead(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    description: str | None


class LiaisonCreate(_In):
    kind: Choice[LiaisonKind]
    name: Name
    title: ShortText | None = None
    email: EmailStr
    phone: Phone | None = None
    department_id: Uuid | None = None
    topics: list[Tag] = Field(default=[], max_length=30)
    subject_ref: ShortText | None = Field(default=None, examples=["grants:programme:1b0e..."])


class LiaisonUpdate(_In):
    name: Name | MISSING = MISSING
    title: ShortText | None = None
    email: EmailStr | MISSING = MISSING
    phone: Phone | None = None
    department_id: Uuid | None = None
    topics: list[Tag] | MISSING = Field(default=MISSING, max_length=30)
    subject_ref: ShortText | None = None


class LiaisonRead(BaseModel):
    id: uuid.UUID
    kind: LiaisonKind
    name: str
    title: str | None
    email: str
    phone: str | None
    department_id: uuid.UUID | None
    department_name: str | None = None
    topics: list[str]
    subject_ref: str | None


class PersonRequest(_In):
    """Personal-data requests name the person by email, in the body so it stays out of URLs and logs."""

    email: EmailStr

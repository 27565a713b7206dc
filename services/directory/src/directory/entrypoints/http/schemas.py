"""Request and response bodies: ``XCreate`` / ``XUpdate`` / ``XRead`` per resource."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from directory.domain.vocabulary import RepresentativeRole
from shared.contracts.directory import ApplicantKind, LiaisonKind

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def fields(self) -> dict[str, Any]:
        """The fields the client sent, as plain values for the domain (URLs as text)."""
        return {k: str(v) if isinstance(v, AnyHttpUrl) else v for k, v in self.model_dump(exclude_unset=True).items()}


class _Patch(_In):
    """A partial update: absent fields stay; ``null`` clears a field, where a field may be empty."""

    required: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _no_null_for_required(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in sorted(cls.required):
                if name in data and data[name] is None:
                    raise ValueError(f"'{name}' cannot be null")
        return data


class ApplicantCreate(_In):
    kind: ApplicantKind
    name: Name
    business_id: ShortText | None = Field(default=None, examples=["0737546-2"])
    register_number: ShortText | None = Field(default=None, examples=["123.456"])
    fields_of_activity: list[Tag] = Field(default=[], max_length=20)
    district: ShortText | None = None
    languages: list[Tag] = Field(default=["fi"], max_length=10)
    public_email: EmailStr | None = None
    website: AnyHttpUrl | None = None
    description: LongText | None = None


class ApplicantUpdate(_Patch):
    required = frozenset({"kind", "name", "fields_of_activity", "languages"})

    kind: ApplicantKind | None = None
    name: Name | None = None
    business_id: ShortText | None = None
    register_number: ShortText | None = None
    fields_of_activity: list[Tag] | None = Field(default=None, max_length=20)
    district: ShortText | None = None
    languages: list[Tag] | None = Field(default=None, max_length=10)
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
    role: RepresentativeRole
    email: EmailStr
    phone: Phone | None = None


class RepresentativeUpdate(_Patch):
    required = frozenset({"name", "role", "email"})

    name: Name | None = None
    role: RepresentativeRole | None = None
    email: EmailStr | None = None
    phone: Phone | None = None


class RepresentativeRead(BaseModel):
    id: uuid.UUID
    applicant_id: uuid.UUID
    name: str
    role: RepresentativeRole
    email: str
    phone: str | None


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
    kind: LiaisonKind
    name: Name
    title: ShortText | None = None
    email: EmailStr
    phone: Phone | None = None
    department_id: uuid.UUID | None = None
    topics: list[Tag] = Field(default=[], max_length=30)
    subject_ref: ShortText | None = Field(default=None, examples=["grants:programme:1b0e..."])


class LiaisonUpdate(_Patch):
    required = frozenset({"name", "email", "topics"})

    name: Name | None = None
    title: ShortText | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    department_id: uuid.UUID | None = None
    topics: list[Tag] | None = Field(default=None, max_length=30)
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

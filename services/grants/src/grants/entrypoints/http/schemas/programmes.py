from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from grants.entrypoints.http.schemas.common import In, Name, PositiveCents, Tag, Text
from shared.contracts.directory import ApplicantKind
from shared.contracts.grants import GrantKind, Intake
from shared.http.schemas import NOT_BLANK, Choice, IsoDate, Uuid


class ProgrammeCreate(In):
    name: Name
    kind: Choice[GrantKind]
    intake: Choice[Intake]
    department_code: Tag = Field(description="The responsible department's code in the directory.")
    eligible_kinds: list[Choice[ApplicantKind]] = Field(min_length=1)
    description: Text | None = None
    fields_of_activity: list[Tag] = Field(default=[], max_length=20)
    responsible_liaison_id: Uuid | None = Field(default=None, description="A liaison contact in the directory.")
    fixed_amount_cents: PositiveCents | None = None
    max_amount_cents: PositiveCents | None = None


class ProgrammeRead(BaseModel):
    id: uuid.UUID
    name: str
    kind: GrantKind
    intake: Intake
    department_code: str
    eligible_kinds: list[ApplicantKind]
    description: str | None
    fields_of_activity: list[str]
    responsible_liaison_id: uuid.UUID | None
    fixed_amount_cents: int | None
    max_amount_cents: int | None
    active: bool


class PrinciplesCreate(In):
    title: Name
    body: Annotated[Text, NOT_BLANK] = Field(min_length=1)
    adopted_on: IsoDate


class PrinciplesRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    version: int
    title: str
    body: str
    adopted_on: date
    created_at: datetime | None

"""What grants tells another service of an audience: applicant ids, nothing else."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field


class AudienceMemberRead(BaseModel):
    applicant_id: uuid.UUID = Field(description="The applicant's id (the directory's association id).")

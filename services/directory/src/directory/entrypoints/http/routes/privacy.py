"""/privacy: a person's data exported or erased on request (administrators only).

Both are POSTs with the person's email in the body, so that it stays out of URLs and access logs; both take
an ``Idempotency-Key``. An export's stored reply holds the person's data; erasing the person forgets it too.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from directory.entrypoints.http.deps import Uow
from directory.entrypoints.http.schemas import ApplicantRead, PersonRequest, RepresentativeRead
from directory.service_layer import privacy
from directory.service_layer.privacy import PersonalData
from shared.contracts.directory import LiaisonKind
from shared.http.idempotency import Idempotent
from shared.http.security import Admin

router = APIRouter(prefix="/privacy", tags=["privacy"])


class ExportedLiaisonContact(BaseModel):
    """A liaison contact as stored, the inactive ones included."""

    id: uuid.UUID
    kind: LiaisonKind
    name: str
    email: str
    title: str | None
    phone: str | None
    department_id: uuid.UUID | None
    topics: list[str]
    subject_ref: str | None
    active: bool


class PersonalDataExport(BaseModel):
    email: str
    representative_of: list[RepresentativeRead]
    liaison_contact: list[ExportedLiaisonContact]
    private_person_applicant: list[ApplicantRead]


class ErasureRead(BaseModel):
    """How many records of each kind were erased; the erasure record keeps these counts only."""

    representatives: int
    liaison_contacts: int
    private_person_applicants: int
    stored_replies: int


def _export(found: PersonalData) -> PersonalDataExport:
    return PersonalDataExport.model_validate(found, from_attributes=True)


@router.post("/exports", response_model=PersonalDataExport)
async def export(body: PersonRequest, uow: Uow, actor: Admin, idem: Idempotent) -> JSONResponse:
    """Everything the directory holds about the person with this email (right of access)."""
    return await idem.run(uow, lambda: privacy.export_person(uow, actor=actor, email=str(body.email)), _export)


@router.post("/erasures", response_model=ErasureRead)
async def erase(body: PersonRequest, uow: Uow, actor: Admin, idem: Idempotent) -> JSONResponse:
    """Erase the person's data; answers how many records of each kind were erased."""
    return await idem.run(
        uow, lambda: privacy.erase_person(uow, actor=actor, email=str(body.email)), ErasureRead.model_validate
    )

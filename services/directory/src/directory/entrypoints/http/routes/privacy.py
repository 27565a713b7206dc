"""/privacy: a person's data exported or erased on request (administrators only).

Both are POSTs with the person's email in the body, so that it stays out of URLs and access logs; both take
an ``Idempotency-Key``. An export's stored reply holds the person's data; erasing the person forgets it too.
Both reach the other services holding the person's data (ADR 0015): the export holds their parts or answers
503 naming the one that did not answer; the erasure is forwarded to them and says which parts are pending.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from directory.entrypoints.http.deps import ForwardDelays, Peers, Uow
from directory.entrypoints.http.schemas import ApplicantRead, PersonRequest, RepresentativeRead
from directory.service_layer import privacy
from directory.service_layer.privacy import Erasure, PersonalData
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
    services: dict[str, dict[str, Any]] = Field(
        description="Each other service's own export of the person, by service name (notifier, calendar)."
    )


class ErasurePart(BaseModel):
    state: Literal["done", "pending"]
    counts: dict[str, int] | None = Field(description="How many records of each kind the service erased, once done.")


class ErasureRead(BaseModel):
    """The directory's own counts, and each service's part: done (with its counts) or pending (the worker
    forwards it until the service answers). The erasure record keeps these counts only, never the address."""

    id: uuid.UUID
    representatives: int
    liaison_contacts: int
    private_person_applicants: int
    stored_replies: int
    parts: dict[str, ErasurePart]
    pending: list[str]

    @classmethod
    def of(cls, erasure: Erasure) -> ErasureRead:
        parts = {name: ErasurePart(state="done", counts=counts) for name, counts in erasure.done.items()}
        parts |= {name: ErasurePart(state="pending", counts=None) for name in erasure.pending}
        return cls(id=erasure.id, **erasure.done["directory"], parts=parts, pending=erasure.pending)


def _export(found: PersonalData) -> PersonalDataExport:
    return PersonalDataExport.model_validate(found, from_attributes=True)


@router.post("/exports", response_model=PersonalDataExport)
async def export(body: PersonRequest, uow: Uow, actor: Admin, idem: Idempotent, peers: Peers) -> JSONResponse:
    """Everything the city holds about the person with this email (right of access): the directory's data and
    the notifier's and calendar's parts, or 503 naming the service that did not answer (never a partial one)."""
    email = str(body.email)
    return await idem.run(uow, lambda: privacy.export_person(uow, actor=actor, email=email, peers=peers), _export)


@router.post("/erasures", response_model=ErasureRead)
async def erase(
    body: PersonRequest, uow: Uow, actor: Admin, idem: Idempotent, peers: Peers, delays: ForwardDelays
) -> JSONResponse:
    """Erase the person's data here and in every other service holding it; a service that does not answer
    now gets the erasure later (``pending``), and ``GET /privacy/erasures/{id}`` follows it."""
    email = str(body.email)
    return await idem.run(
        uow,
        lambda: privacy.erase_person(uow, actor=actor, email=email, peers=peers, retry_delays=delays),
        ErasureRead.of,
    )


@router.get("/erasures/{erasure_id}", response_model=ErasureRead)
async def erasure(erasure_id: uuid.UUID, uow: Uow, actor: Admin) -> ErasureRead:
    """An erasure's parts: done (with counts) or still pending."""
    return ErasureRead.of(await privacy.erasure_state(uow, actor=actor, erasure_id=erasure_id))

"""/privacy: admins answer a person's access and erasure requests (the email travels in the body)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from calendar_service.entrypoints.http.deps import Uow
from calendar_service.entrypoints.http.event_schemas import ErasureRead, PersonalDataRead, PersonRequest
from calendar_service.entrypoints.http.routes.registrations import read_registration
from calendar_service.service_layer import privacy
from calendar_service.service_layer.privacy import PersonalData
from calendar_service.service_layer.registrations import ShownRegistration
from shared.http.idempotency import Idempotent
from shared.http.security import AdminOrDirectory

router = APIRouter(tags=["privacy"])


def _export(found: PersonalData) -> PersonalDataRead:
    return PersonalDataRead(
        email=found.email, registrations=[read_registration(ShownRegistration(r, None)) for r in found.registrations]
    )


@router.post("/privacy/exports", response_model=PersonalDataRead)
async def export(body: PersonRequest, uow: Uow, actor: AdminOrDirectory, idem: Idempotent) -> JSONResponse:
    """Everything the calendar holds about a person: the registrations naming them as the contact."""
    email = str(body.email)
    return await idem.run(uow, lambda: privacy.export_person(uow, actor=actor, email=email), _export)


@router.post("/privacy/erasures", response_model=ErasureRead)
async def erase(body: PersonRequest, uow: Uow, actor: AdminOrDirectory, idem: Idempotent) -> JSONResponse:
    """Blank the person's contact details in every registration, and forget stored replies holding them."""
    email = str(body.email)
    return await idem.run(
        uow, lambda: privacy.erase_person(uow, actor=actor, email=email), lambda counts: ErasureRead(**counts)
    )

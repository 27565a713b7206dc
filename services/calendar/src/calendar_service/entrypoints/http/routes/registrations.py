"""Registrations: an association's representative registers participants; confirmed while seats last, then
in the waiting line, promoted by itself when someone cancels."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from calendar_service.entrypoints.http.deps import Now, Uow
from calendar_service.entrypoints.http.event_schemas import RegistrationCreate, RegistrationRead
from calendar_service.service_layer import registrations
from calendar_service.service_layer.registrations import ShownRegistration
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import SignedIn, Staff

router = APIRouter(tags=["registrations"])


def read_registration(shown: ShownRegistration) -> RegistrationRead:
    r = shown.registration
    fields = {name: getattr(r, name) for name in RegistrationRead.model_fields if name != "position"}
    return RegistrationRead.model_validate(fields | {"position": shown.position})


@router.post("/events/{event_id}/registrations", status_code=201, response_model=RegistrationRead)
async def register(
    event_id: uuid.UUID, body: RegistrationCreate, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent
) -> JSONResponse:
    """Register participants for the association; the answer says whether they are confirmed or waiting."""
    return await idem.created(
        uow,
        lambda: registrations.register(
            uow,
            actor=actor,
            event_id=event_id,
            association_id=body.association_id,
            participants=body.participants,
            contact_name=body.contact_name,
            contact_email=str(body.contact_email),
            contact_phone=body.contact_phone,
            contact_language=body.contact_language,
            now=now,
        ),
        read_registration,
    )


@router.get("/events/{event_id}/registrations", response_model=Page[RegistrationRead])
async def of_event(event_id: uuid.UUID, uow: Uow, actor: Staff, paging: Paging) -> Page[RegistrationRead]:
    items, total = await registrations.registrations_of_event(
        uow, actor=actor, event_id=event_id, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[read_registration(r) for r in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/associations/{association_id}/registrations", response_model=Page[RegistrationRead])
async def of_association(
    association_id: uuid.UUID, uow: Uow, actor: SignedIn, paging: Paging
) -> Page[RegistrationRead]:
    items, total = await registrations.registrations_of_association(
        uow, actor=actor, association_id=association_id, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[read_registration(r) for r in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/registrations/{registration_id}", response_model=RegistrationRead)
async def get(registration_id: uuid.UUID, uow: Uow, actor: SignedIn) -> RegistrationRead:
    return read_registration(await registrations.get_registration(uow, actor=actor, registration_id=registration_id))


@router.post("/registrations/{registration_id}/cancel", response_model=RegistrationRead)
async def cancel(registration_id: uuid.UUID, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent) -> JSONResponse:
    """Cancel before the cut-off; the seats go to the head of the waiting line."""
    return await idem.run(
        uow, lambda: registrations.cancel(uow, actor=actor, registration_id=registration_id, now=now), read_registration
    )

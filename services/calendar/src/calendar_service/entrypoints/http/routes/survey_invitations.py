"""Service-only reads (ADR 0011): an open survey's invitations with their links, and where a registrant is
reached. Both answer a ``service`` token only (403 for every other role); the notifier mails from them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request

from calendar_service.entrypoints.http.deps import Uow
from calendar_service.entrypoints.http.survey_schemas import (
    ContactRead,
    ContactsRead,
    HandedInvitationRead,
    InvitationPageRead,
)
from calendar_service.service_layer import survey_invitations
from calendar_service.service_layer.survey_invitations import MAX_PAGE, HandedInvitation
from shared.http.security import ServiceCaller

router = APIRouter(tags=["services"])
Cursor = Annotated[str | None, Query(max_length=100, description="From the previous page's `next_cursor`.")]


def answer_url(public_url: str, invitation: HandedInvitation) -> str:
    """The survey's answer page, the token in the fragment (a browser never sends it to a server or a log)."""
    return f"{public_url.rstrip('/')}/surveys/{invitation.survey_id}/answer#token={invitation.token}"


@router.get("/surveys/{survey_id}/invitations", response_model=InvitationPageRead)
async def invitations(
    survey_id: uuid.UUID,
    uow: Uow,
    actor: ServiceCaller,
    request: Request,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> InvitationPageRead:
    """An open survey's invitations, a page at a time (409 for a draft or a closed survey)."""
    settings = request.app.state.settings
    page = await survey_invitations.invitations(
        uow, actor=actor, survey_id=survey_id, cursor=cursor, limit=limit, key=settings.invitation_signing_key
    )
    items = [
        HandedInvitationRead(
            invitation_id=i.invitation_id, association_id=i.association_id, registration_id=i.registration_id,
            answer_url=answer_url(settings.public_url, i),
        )
        for i in page.items
    ]  # fmt: skip
    return InvitationPageRead(items=items, next_cursor=page.next_cursor)


@router.get("/recipients", response_model=ContactsRead)
async def recipients(
    uow: Uow, actor: ServiceCaller, registration_id: Annotated[uuid.UUID, Query(description="The registration")]
) -> ContactsRead:
    """Where the registration's contact person is reached: none after erasure (or an unknown registration)."""
    found = await survey_invitations.registrant_contact(uow, actor=actor, registration_id=registration_id)
    return ContactsRead(items=[ContactRead(email=c.email, name=c.name, language=c.language) for c in found])

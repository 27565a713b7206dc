"""The reads the notifier makes to mail survey invitations (ADR 0011: a ``service`` token, nothing else).

``invitations`` hands an open survey's invitations again, a page at a time, each with its token derived from
its id (ADR 0013): whom it invites (a registration of the event, or an association) and the token; nothing of
whether or how it was answered. ``registrant_contact`` is where a registration's contact person is reached:
the calendar's own personal data, asked for at send time and never put in an event (ADR 0003).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from calendar_service.domain.survey import SurveyState
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal, Role
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound

MAX_PAGE = 500


@dataclass(frozen=True)
class HandedInvitation:
    invitation_id: uuid.UUID
    survey_id: uuid.UUID
    token: str
    registration_id: uuid.UUID | None
    association_id: uuid.UUID | None


@dataclass(frozen=True)
class InvitationPage:
    items: list[HandedInvitation]
    next_cursor: str | None


@dataclass(frozen=True)
class Contact:
    email: str
    name: str | None
    language: str


def _ensure_service(actor: Principal) -> None:
    if actor.role is not Role.SERVICE:
        raise Forbidden("Only the city's own services may read this.")


def _cursor(cursor: str | None) -> uuid.UUID | None:
    if not cursor:
        return None
    try:
        return uuid.UUID(cursor)
    except ValueError:
        raise InvalidInput("Not a cursor this list gave.", field="query.cursor") from None


async def invitations(
    uow: CalendarUnitOfWork, *, actor: Principal, survey_id: uuid.UUID, cursor: str | None, limit: int, key: str
) -> InvitationPage:
    """A page of an open survey's invitations with their tokens; ``next_cursor`` is None on the last page.

    Invitations made before tokens were derived (their random tokens were handed out once) are left out."""
    _ensure_service(actor)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"Ask for 1–{MAX_PAGE} invitations at a time.", field="query.limit")
    after = _cursor(cursor)
    async with uow:
        survey = await uow.surveys.get(survey_id)
        if survey is None:
            raise NotFound("No such survey.", field="survey_id")
        if survey.state is not SurveyState.OPEN:
            raise Conflict(f"The survey is {survey.state.value}: only an open survey's invitations are handed.")
        found = await uow.invitations.page(survey_id, after=after, limit=limit)
    items = [
        HandedInvitation(i.id, survey_id, token, i.registration_id, i.association_id)
        for i in found
        if (token := i.token(key)) is not None
    ]
    return InvitationPage(items, str(found[-1].id) if len(found) == limit else None)


async def registrant_contact(uow: CalendarUnitOfWork, *, actor: Principal, registration_id: uuid.UUID) -> list[Contact]:
    """The registration's contact person, if it still has an address (none after erasure); an unknown
    registration is simply nobody to reach."""
    _ensure_service(actor)
    async with uow:
        registration = await uow.registrations.get(registration_id)
    if registration is None or not registration.contact_email:
        return []
    return [Contact(registration.contact_email, registration.contact_name, registration.contact_language)]

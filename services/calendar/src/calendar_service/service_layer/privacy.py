"""A person's right of access and to erasure (GDPR articles 15 and 17) for the calendar's own personal data:
the contact persons of registrations, found by email address (in the request body, never in a URL).

Erasure blanks the contact (the registration itself stays: the association's seats are not personal data) and
deletes stored idempotent replies that held a copy of it. Events never carried the contact (ADR 0003).
"""

from __future__ import annotations

from dataclasses import dataclass

from calendar_service.domain.registration import Registration
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal, Role
from shared.errors import Forbidden


@dataclass(frozen=True)
class PersonalData:
    email: str
    registrations: list[Registration]


def _ensure_privacy_officer(actor: Principal) -> None:
    """An administrator, or the directory forwarding a request an administrator made there (ADR 0015)."""
    if actor.role is not Role.ADMIN and not actor.is_service("directory"):
        raise Forbidden("Only an administrator (or the directory, for one) handles personal-data requests.")


async def export_person(uow: CalendarUnitOfWork, *, actor: Principal, email: str) -> PersonalData:
    _ensure_privacy_officer(actor)
    async with uow:
        return PersonalData(email, await uow.registrations.with_email(email))


async def erase_person(uow: CalendarUnitOfWork, *, actor: Principal, email: str) -> dict[str, int]:
    _ensure_privacy_officer(actor)
    async with uow:
        found = await uow.registrations.with_email(email)
        for registration in found:
            registration.contact_name = registration.contact_email = registration.contact_phone = None
            await uow.registrations.save(registration)
        replies = await uow.stored_replies.forget(resource_ids=[r.id for r in found])
        await uow.commit()
    return {"registrations": len(found), "stored_replies": replies}

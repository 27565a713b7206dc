"""A person's right of access and to erasure (GDPR articles 15 and 17), found by email address.

Personal data in the directory: representatives, liaison contacts, and private-person applicants. Erasure
deletes representatives and liaison contacts, blanks private-person applicants (their id stays, since
grants refer to it), deletes stored idempotent replies that held copies, and keeps an erasure record with
counts only. Events never carried the data, so no other service holds a copy from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory.domain.applicant import Applicant
from directory.domain.people import LiaisonContact, Representative
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.directory import AssociationDeactivated, LiaisonUnassigned
from shared.errors import Forbidden


@dataclass(frozen=True)
class PersonalData:
    """Everything the directory holds about one person."""

    email: str
    representative_of: list[Representative]
    liaison_contact: list[LiaisonContact]
    private_person_applicant: list[Applicant]


def _ensure_admin(actor: Principal) -> None:
    if actor.role is not Role.ADMIN:
        raise Forbidden("Only an administrator handles personal-data requests.")


async def _find(uow: DirectoryUnitOfWork, email: str) -> PersonalData:
    return PersonalData(
        email=email,
        representative_of=await uow.representatives.with_email(email),
        liaison_contact=await uow.liaisons.with_email(email),
        private_person_applicant=await uow.applicants.private_persons_with_email(email),
    )


async def export_person(uow: DirectoryUnitOfWork, *, actor: Principal, email: str) -> PersonalData:
    _ensure_admin(actor)
    async with uow:
        return await _find(uow, email)


async def erase_person(uow: DirectoryUnitOfWork, *, actor: Principal, email: str) -> dict[str, int]:
    """Erase the person's data; answers how many records of each kind were erased."""
    _ensure_admin(actor)
    async with uow:
        found = await _find(uow, email)
        for person in found.representative_of:
            await uow.representatives.delete(person.id)
        for contact in found.liaison_contact:
            await uow.liaisons.delete(contact.id)
            uow.emit(LiaisonUnassigned(liaison_id=contact.id))
        for applicant in found.private_person_applicant:
            was_active = applicant.active
            applicant.erase_personal_data()
            await uow.applicants.save(applicant)
            if was_active:
                uow.emit(AssociationDeactivated(applicant_id=applicant.id, revision=applicant.revision))
        erased = [
            *(x.id for x in found.representative_of),
            *(x.id for x in found.liaison_contact),
            *(x.id for x in found.private_person_applicant),
        ]
        counts = {
            "representatives": len(found.representative_of),
            "liaison_contacts": len(found.liaison_contact),
            "private_person_applicants": len(found.private_person_applicant),
            "stored_replies": await uow.stored_replies.forget_person(resource_ids=erased, email=email),
        }
        await uow.erasures.add(requested_by=actor.subject, counts=counts)
        await uow.commit()
    return counts

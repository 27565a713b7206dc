"""A person's right of access and to erasure (GDPR articles 15 and 17), found by email address.

Personal data in the directory: representatives, liaison contacts, and private-person applicants. Erasure
deletes representatives and liaison contacts, blanks private-person applicants (their id stays, since
grants refer to it), deletes stored idempotent replies that held copies, and keeps an erasure record with
counts only. Events never carried the data, so no other service holds a copy from them.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, delete, insert

from directory.adapters.repository import ApplicantRepository, LiaisonRepository, RepresentativeRepository
from directory.adapters.tables import erasure_record
from shared.auth import Principal
from shared.contracts.directory import AssociationDeactivated, LiaisonUnassigned
from shared.db.uow import UnitOfWork
from shared.errors import Forbidden
from shared.messaging.tables import idempotency_table


def _ensure_admin(actor: Principal) -> None:
    if actor.role.value != "admin":
        raise Forbidden("Only an administrator handles personal-data requests.")


async def export_person(uow: UnitOfWork, *, actor: Principal, email: str) -> dict[str, Any]:
    _ensure_admin(actor)
    session = uow.session
    return {
        "email": email,
        "representative_of": [dataclasses.asdict(r) for r in await RepresentativeRepository(session).with_email(email)],
        "liaison_contact": [dataclasses.asdict(c) for c in await LiaisonRepository(session).with_email(email)],
        "private_person_applicant": [
            dataclasses.asdict(a) for a in await ApplicantRepository(session).private_persons_with_email(email)
        ],
    }


async def erase_person(uow: UnitOfWork, *, actor: Principal, email: str) -> dict[str, int]:
    _ensure_admin(actor)
    session = uow.session
    representatives, liaisons, applicants = (
        RepresentativeRepository(session), LiaisonRepository(session), ApplicantRepository(session)
    )  # fmt: skip
    reps = await representatives.with_email(email)
    contacts = await liaisons.with_email(email)
    private = await applicants.private_persons_with_email(email)
    for person in reps:
        await representatives.delete(person.id)
    for contact in contacts:
        await liaisons.delete(contact.id)
        uow.emit(LiaisonUnassigned(liaison_id=contact.id))
    for applicant in private:
        was_active = applicant.active
        applicant.erase_personal_data()
        await applicants.save(applicant)
        if was_active:
            uow.emit(AssociationDeactivated(applicant_id=applicant.id, revision=applicant.revision))
    erased = [x.id for x in reps] + [x.id for x in contacts] + [x.id for x in private]
    idem = idempotency_table()
    replies = await session.execute(delete(idem).where(idem.c.resource_id.in_(erased)))
    counts = {
        "representatives": len(reps),
        "liaison_contacts": len(contacts),
        "private_person_applicants": len(private),
        "stored_replies": cast("CursorResult[Any]", replies).rowcount or 0,
    }
    await session.execute(insert(erasure_record).values(id=uuid.uuid4(), requested_by=actor.subject, counts=counts))
    return counts

"""A person's right of access and to erasure (GDPR articles 15 and 17), found by email address.

Personal data in the directory: representatives, liaison contacts, and private-person applicants. Erasure
deletes representatives and liaison contacts, blanks private-person applicants (their id stays, since
grants refer to it), deletes stored idempotent replies that held copies, and keeps an erasure record with
counts only. Events never carried the data, so no other service holds a copy from them.

The notifier and the calendar hold a person's data of their own (ADR 0003: subscriptions and delivery
records; registrations' contacts). A request made here reaches them too (ADR 0015): the export includes
their parts, asked at request time, or answers 503 naming the one that did not answer (never a partial
export); the erasure is forwarded to them durably (``privacy_forwarding``) and answers which parts are done
and which pending.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from directory.domain.applicant import Applicant
from directory.domain.people import LiaisonContact, Representative
from directory.service_layer.privacy_forwarding import PeerUnavailable, PrivacyPeer, forward_erasures
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.directory import AssociationDeactivated, LiaisonUnassigned
from shared.errors import Forbidden, NotFound, Unavailable
from shared.observability.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class PersonalData:
    """Everything the directory holds about one person."""

    email: str
    representative_of: list[Representative]
    liaison_contact: list[LiaisonContact]
    private_person_applicant: list[Applicant]
    # Each other service's own export of the person, by service name.
    services: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Erasure:
    """An erasure's state: the counts of the parts done, by service, and the services still to do theirs."""

    id: uuid.UUID
    done: dict[str, dict[str, int]]
    pending: list[str]


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


async def export_person(
    uow: DirectoryUnitOfWork, *, actor: Principal, email: str, peers: Sequence[PrivacyPeer] = ()
) -> PersonalData:
    """The directory's data on the person and every other service's part; ``Unavailable`` if one is missing."""
    _ensure_admin(actor)
    async with uow:
        own = await _find(uow, email)
    answers = await asyncio.gather(*(peer.export(email) for peer in peers), return_exceptions=True)
    for answer in answers:
        if isinstance(answer, BaseException):
            if not isinstance(answer, PeerUnavailable):
                raise answer
            log.warning("privacy_export_incomplete", target=answer.service, reason=answer.reason)
            raise Unavailable(
                f"The {answer.service} service did not answer, and an export must hold everything: try again later.",
                service=answer.service,
            )
    parts = {peer.name: answer for peer, answer in zip(peers, answers, strict=True) if isinstance(answer, dict)}
    return PersonalData(
        email=own.email,
        representative_of=own.representative_of,
        liaison_contact=own.liaison_contact,
        private_person_applicant=own.private_person_applicant,
        services=parts,
    )


async def erase_person(
    uow: DirectoryUnitOfWork,
    *,
    actor: Principal,
    email: str,
    peers: Sequence[PrivacyPeer] = (),
    retry_delays: Sequence[float] = (30,),
) -> Erasure:
    """Erase the person's data here, forward the erasure to every other service (each tried once now, the rest
    by the worker), and answer what is done and what pending."""
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
        erasure_id = await uow.erasures.add(requested_by=actor.subject, counts={"directory": counts})
        for peer in peers:
            await uow.forwards.add(erasure_id=erasure_id, service=peer.name, email=email, now=uow.clock())
        await uow.commit()
    log.info("person_erased", erasure_id=str(erasure_id), by=actor.subject, forwards=len(peers), **counts)
    await forward_erasures(uow, peers=peers, now=uow.clock(), delays=retry_delays, erasure_id=erasure_id)
    return await erasure_state(uow, actor=actor, erasure_id=erasure_id)


async def erasure_state(uow: DirectoryUnitOfWork, *, actor: Principal, erasure_id: uuid.UUID) -> Erasure:
    """Which parts of an erasure are done (their counts) and which are still pending."""
    _ensure_admin(actor)
    async with uow:
        done = await uow.erasures.counts(erasure_id)
        if done is None:
            raise NotFound("No such erasure.")
        pending = await uow.forwards.pending_services(erasure_id)
    return Erasure(erasure_id, done, pending)

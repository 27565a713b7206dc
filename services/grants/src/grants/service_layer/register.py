"""The public decision register: who got how much, for what — published decisions only, for everyone.

Associations and groups are named (their names are public in the directory). Private persons are never
named (grants does not even hold their names): they appear under a pseudonym such as "Yksityishenkilö 3F9A",
the first hex digits of a keyed hash (HMAC-SHA-256) of their applicant id, so the same person reads the same
in every list without the id itself being published.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from grants.adapters.applications import PublishedDecision
from grants.config import Settings
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.contracts.directory import ApplicantKind
from shared.localtime import local_date

PRIVATE_PERSON_LABEL = "Yksityishenkilö"


@dataclass(frozen=True)
class RegisterEntry:
    application_id: uuid.UUID
    round_id: uuid.UUID
    programme_id: uuid.UUID
    programme_name: str
    year: int
    recipient_kind: ApplicantKind | None
    recipient_id: uuid.UUID | None  # None for private persons
    recipient_name: str  # the pseudonym for private persons
    recipient_pseudonym: str | None  # a longer keyed hash for private persons (their id in exports)
    purpose: str
    approved_cents: int
    decided_on: date
    published_at: datetime


def pseudonym_key(settings: Settings) -> bytes:
    """``GRANTS_REGISTER_PSEUDONYM_KEY``: a secret in production."""
    return settings.register_pseudonym_key.encode()


def pseudonym_digest(key: bytes, applicant_id: uuid.UUID) -> str:
    return hmac.new(key, applicant_id.bytes, hashlib.sha256).hexdigest().upper()


def pseudonym(key: bytes, applicant_id: uuid.UUID) -> str:
    """``Yksityishenkilö 3F9A``: stable for one person and key, and says nothing of who it is."""
    return f"{PRIVATE_PERSON_LABEL} {pseudonym_digest(key, applicant_id)[:4]}"


def _entry(found: PublishedDecision, key: bytes) -> RegisterEntry:
    private = found.applicant_kind is ApplicantKind.PRIVATE_PERSON or not found.applicant_name
    return RegisterEntry(
        application_id=found.application_id,
        round_id=found.round_id,
        programme_id=found.programme_id,
        programme_name=found.programme_name,
        year=found.year,
        recipient_kind=found.applicant_kind,
        recipient_id=None if private else found.applicant_id,
        recipient_name=pseudonym(key, found.applicant_id) if private else (found.applicant_name or ""),
        recipient_pseudonym=pseudonym_digest(key, found.applicant_id)[:16] if private else None,
        purpose=found.purpose,
        approved_cents=found.approved_cents,
        decided_on=local_date(found.decided_at),
        published_at=found.published_at,
    )


async def search_register(
    uow: GrantsUnitOfWork, *, key: bytes, year: int | None, programme_id: uuid.UUID | None, limit: int, offset: int
) -> tuple[list[RegisterEntry], int]:
    async with uow:
        found, total = await uow.register.search(year=year, programme_id=programme_id, limit=limit, offset=offset)
    return [_entry(f, key) for f in found], total


async def export_register(
    uow: GrantsUnitOfWork, *, key: bytes, year: int | None, programme_id: uuid.UUID | None
) -> list[RegisterEntry]:
    """Every matching published decision, for the CSV and 360Giving files."""
    async with uow:
        found = await uow.register.every(year=year, programme_id=programme_id)
    return [_entry(f, key) for f in found]

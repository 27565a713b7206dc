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
from typing import Any

from sqlalchemy import Select, func, select

from grants.adapters.applications import decision_is_public
from grants.adapters.tables import applicant, application, decision, grant_programme, grant_round
from grants.config import Settings
from grants.domain.clock import local_date
from shared.contracts.directory import ApplicantKind
from shared.db.uow import UnitOfWork

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


def _query(year: int | None, programme_id: uuid.UUID | None) -> Select[Any]:
    query = (
        select(
            decision.c.application_id,
            decision.c.round_id,
            decision.c.approved_cents,
            decision.c.decided_at,
            grant_round.c.programme_id,
            grant_round.c.year,
            grant_round.c.published_at,
            grant_programme.c.name.label("programme_name"),
            application.c.purpose,
            application.c.applicant_id,
            applicant.c.kind,
            applicant.c.name.label("applicant_name"),
        )
        .join(application, application.c.id == decision.c.application_id)
        .join(grant_round, grant_round.c.id == decision.c.round_id)
        .join(grant_programme, grant_programme.c.id == grant_round.c.programme_id)
        .join(applicant, applicant.c.id == application.c.applicant_id)
        .where(decision_is_public())
    )
    if year is not None:
        query = query.where(grant_round.c.year == year)
    if programme_id is not None:
        query = query.where(grant_round.c.programme_id == programme_id)
    return query


_ORDER = [
    grant_round.c.year.desc(),
    grant_programme.c.name,
    applicant.c.name.nulls_last(),
    decision.c.application_id,
]


def _entry(row: Any, key: bytes) -> RegisterEntry:
    kind = ApplicantKind(row["kind"]) if row["kind"] else None
    private = kind is ApplicantKind.PRIVATE_PERSON or not row["applicant_name"]
    return RegisterEntry(
        application_id=row["application_id"],
        round_id=row["round_id"],
        programme_id=row["programme_id"],
        programme_name=row["programme_name"],
        year=row["year"],
        recipient_kind=kind,
        recipient_id=None if private else row["applicant_id"],
        recipient_name=pseudonym(key, row["applicant_id"]) if private else row["applicant_name"],
        recipient_pseudonym=pseudonym_digest(key, row["applicant_id"])[:16] if private else None,
        purpose=row["purpose"],
        approved_cents=row["approved_cents"],
        decided_on=local_date(row["decided_at"]),
        published_at=row["published_at"],
    )


async def search_register(
    uow: UnitOfWork, *, key: bytes, year: int | None, programme_id: uuid.UUID | None, limit: int, offset: int
) -> tuple[list[RegisterEntry], int]:
    query = _query(year, programme_id)
    total = (await uow.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = (await uow.session.execute(query.order_by(*_ORDER).limit(limit).offset(offset))).mappings()
    return [_entry(r, key) for r in rows], total


async def export_register(
    uow: UnitOfWork, *, key: bytes, year: int | None, programme_id: uuid.UUID | None
) -> list[RegisterEntry]:
    """Every matching published decision, for the CSV and 360Giving files."""
    rows = (await uow.session.execute(_query(year, programme_id).order_by(*_ORDER))).mappings()
    return [_entry(r, key) for r in rows]

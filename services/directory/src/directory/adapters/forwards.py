"""Erasures' parts still to be done by other services (ADR 0015), and the erasure records' counts per service.

A pending forward holds the address until its service has erased it; then the row is deleted, and with the
last one gone the directory no longer holds the address anywhere. Claims are ``FOR UPDATE SKIP LOCKED``, so a
request trying its own forwards and any number of worker replicas never forward one row at the same time.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, literal, select, update
from sqlalchemy.dialects.postgresql import JSONB

from directory.adapters.tables import erasure_record, privacy_forward
from shared.db import Session


@dataclass(frozen=True)
class PendingForward:
    id: uuid.UUID
    erasure_id: uuid.UUID
    service: str
    email: str
    attempts: int


class PendingForwards:
    def __init__(self, session: Session) -> None:
        self.session = session

    async def add(self, *, erasure_id: uuid.UUID, service: str, email: str, now: datetime) -> None:
        await self.session.execute(
            privacy_forward.insert().values(
                id=uuid.uuid4(), erasure_id=erasure_id, service=service, email=email, next_attempt_at=now
            )
        )

    async def claim(
        self,
        *,
        now: datetime,
        erasure_id: uuid.UUID | None = None,
        limit: int = 50,
        skip_services: Collection[str] = (),
    ) -> list[PendingForward]:
        """Due forwards nobody else holds, locked until this transaction ends; of one erasure when given."""
        t = privacy_forward
        query = select(t.c.id, t.c.erasure_id, t.c.service, t.c.email, t.c.attempts).where(t.c.next_attempt_at <= now)
        if erasure_id is not None:
            query = query.where(t.c.erasure_id == erasure_id)
        if skip_services:
            query = query.where(t.c.service.not_in(list(skip_services)))
        query = query.order_by(t.c.next_attempt_at).limit(limit).with_for_update(skip_locked=True)
        return [PendingForward(**row) for row in (await self.session.execute(query)).mappings()]

    async def done(self, forward: PendingForward, counts: dict[str, int]) -> None:
        """The service erased the address: record its counts on the erasure and forget the address."""
        await self.session.execute(delete(privacy_forward).where(privacy_forward.c.id == forward.id))
        part = literal({forward.service: counts}, type_=JSONB)
        await self.session.execute(
            update(erasure_record)
            .where(erasure_record.c.id == forward.erasure_id)
            .values(counts=erasure_record.c.counts.op("||")(part))
        )

    async def failed(self, forward: PendingForward, *, error: str, next_attempt_at: datetime) -> None:
        await self.session.execute(
            update(privacy_forward)
            .where(privacy_forward.c.id == forward.id)
            .values(attempts=privacy_forward.c.attempts + 1, last_error=error, next_attempt_at=next_attempt_at)
        )

    async def pending_services(self, erasure_id: uuid.UUID) -> list[str]:
        t = privacy_forward
        query = select(t.c.service).where(t.c.erasure_id == erasure_id).order_by(t.c.service)
        return list((await self.session.execute(query)).scalars())

"""Records the privacy use cases keep or forget: stored idempotent replies, and the erasure log.

Stored replies live in the shared ``idempotency_record`` table: a retried request gets the first answer, so
the answer is kept for a week, and an answer may hold a person's data. Erasure must forget those copies too.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, or_, select

from directory.adapters.tables import erasure_record
from shared.db import Session
from shared.messaging.tables import idempotency_table


class StoredReplies:
    def __init__(self, session: Session) -> None:
        self.session = session

    async def forget_person(self, *, resource_ids: Collection[uuid.UUID], email: str) -> int:
        """Delete every stored reply about the erased records or naming the email; how many were deleted.

        A reply names its resource by ``id`` (recorded as ``resource_id``). Some replies hold a person's
        data without being that person's record, such as a data export, whose ``email`` is the person's; a
        record whose email changed after the reply was stored is found by its id. Either match is enough.
        """
        t = idempotency_table()
        email = email.lower()
        statement = delete(t).where(
            or_(
                t.c.resource_id.in_(list(resource_ids)),
                func.lower(t.c.response_body["email"].astext) == email,
                func.lower(t.c.response_body["public_email"].astext) == email,
            )
        )
        result = await self.session.execute(statement)
        return cast("CursorResult[Any]", result).rowcount or 0


class ErasureRecords:
    """Who erased personal data, and how much: accountability without keeping what was erased."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def add(self, *, requested_by: str, counts: dict[str, dict[str, int]]) -> uuid.UUID:
        """A new record; ``counts`` per service (the directory's own first, the others' as they are done)."""
        erasure_id = uuid.uuid4()
        await self.session.execute(
            insert(erasure_record).values(id=erasure_id, requested_by=requested_by, counts=counts)
        )
        return erasure_id

    async def counts(self, erasure_id: uuid.UUID) -> dict[str, dict[str, int]] | None:
        query = select(erasure_record.c.counts).where(erasure_record.c.id == erasure_id)
        found: dict[str, dict[str, int]] | None = (await self.session.execute(query)).scalar_one_or_none()
        return found

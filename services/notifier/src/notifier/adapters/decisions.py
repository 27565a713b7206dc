"""Grants' decisions waiting for their round's publication, and the publications seen (tables.grant_decision)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.dialects.postgresql import insert

from notifier.adapters.tables import decision_publication, grant_decision
from notifier.domain.grant_decision import GrantDecision, Publication

_LOCK_SPACE = 0x6E640001  # the notifier's advisory locks of grant rounds


class DecisionRepository:
    def __init__(self, session: Any) -> None:
        self.session = session

    async def lock_round(self, round_id: uuid.UUID) -> None:
        """Until the transaction ends: a decision and a publication of one round, handled at once by two
        consumers, would each miss the other's uncommitted row and the decision would never be mailed."""
        await self.session.execute(
            select(func.pg_advisory_xact_lock(literal(_LOCK_SPACE), func.hashtext(str(round_id))))
        )

    async def record(self, d: GrantDecision) -> GrantDecision:
        """The newer decision of an application wins; an announced one no longer changes. Returns what holds."""
        t = grant_decision
        values = {k: v for k, v in d.__dict__.items() if k != "announced_at"}
        await self.session.execute(
            insert(t).values(values).on_conflict_do_update(
                index_elements=[t.c.application_id],
                set_={k: v for k, v in values.items() if k != "application_id"},
                where=(t.c.decided_at < d.decided_at) & t.c.announced_at.is_(None),
            )
        )  # fmt: skip
        row = (await self.session.execute(select(t).where(t.c.application_id == d.application_id))).mappings().one()
        return GrantDecision(**row)

    async def add_publication(self, round_id: uuid.UUID, published_at: datetime, publication: Publication) -> None:
        await self.session.execute(
            insert(decision_publication)
            .values(
                round_id=round_id, published_at=published_at, event_source=publication.source,
                programme_id=publication.programme_id,
            )
            .on_conflict_do_nothing()
        )  # fmt: skip

    async def publication_covering(self, round_id: uuid.UUID, decided_at: datetime) -> Publication | None:
        """The first publication of the round made at or after the decision: it covers it."""
        p = decision_publication
        found = await self.session.execute(
            select(p.c.event_source, p.c.programme_id)
            .where(p.c.round_id == round_id, p.c.published_at >= decided_at)
            .order_by(p.c.published_at)
            .limit(1)
        )
        row = found.first()
        return None if row is None else Publication(row.event_source, row.programme_id)

    async def unannounced(self, round_id: uuid.UUID, up_to: datetime) -> list[GrantDecision]:
        t = grant_decision
        rows = await self.session.execute(
            select(t)
            .where(t.c.round_id == round_id, t.c.announced_at.is_(None), t.c.decided_at <= up_to)
            .order_by(t.c.application_id)
            .with_for_update()
        )
        return [GrantDecision(**r) for r in rows.mappings()]

    async def mark_announced(self, application_id: uuid.UUID, now: datetime) -> None:
        t = grant_decision
        await self.session.execute(update(t).where(t.c.application_id == application_id).values(announced_at=now))

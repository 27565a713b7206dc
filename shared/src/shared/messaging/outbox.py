"""The transactional outbox: events are written in the same transaction as the state change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import Envelope

NOTIFY_CHANNEL = "outbox_message"


def outbox_rows(envelopes: Iterable[Envelope[Any]]) -> list[dict[str, Any]]:
    return [
        {
            "event_id": e.event_id,
            "routing_key": e.data.routing_key(),
            "envelope": e.model_dump(mode="json"),
            "correlation_id": e.correlation_id,
        }
        for e in envelopes
    ]


async def add_to_outbox(session: AsyncSession, envelopes: list[Envelope[Any]]) -> None:
    """Stage the events in the caller's transaction; the relay is woken when it commits.

    One round trip: the insert is a data-modifying CTE of the ``SELECT pg_notify`` (PostgreSQL runs such a CTE
    to completion whether or not the query reads it). NOTIFY is transactional: delivered on commit, dropped on
    rollback."""
    if not envelopes:
        return
    from shared.messaging.tables import outbox_table

    staged = insert(outbox_table()).values(outbox_rows(envelopes)).cte("staged")
    await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")).add_cte(staged))

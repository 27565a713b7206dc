"""The transactional outbox: events are written in the same transaction as the state change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, text
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
    """Stage the events in the caller's transaction; the relay is woken when it commits."""
    if not envelopes:
        return
    from shared.messaging.tables import outbox_table

    await session.execute(insert(outbox_table()), outbox_rows(envelopes))
    # NOTIFY is transactional: delivered on commit, dropped on rollback.
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})

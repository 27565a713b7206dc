"""The transactional outbox: events are written in the same transaction as the state change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Insert, func, insert, literal, select

from shared.contracts.envelope import Envelope
from shared.db import Session

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


async def add_to_outbox(session: Session, envelopes: list[Envelope[Any]], *, along: Sequence[Insert] = ()) -> None:
    """Stage the events in the caller's transaction; the relay is woken when it commits.

    One round trip: the inserts are data-modifying CTEs of the ``SELECT pg_notify`` (PostgreSQL runs such a
    CTE to completion whether or not the query reads it); ``along`` are further inserts of the same
    transaction written in that statement (the idempotency record of the request). NOTIFY is transactional:
    delivered on commit, dropped on rollback."""
    from shared.messaging.tables import outbox_table

    staged = [statement.cte(f"along_{n}") for n, statement in enumerate(along)]
    if envelopes:
        staged.append(insert(outbox_table()).values(outbox_rows(envelopes)).cte("staged"))
        await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")).add_cte(*staged))
    elif len(along) == 1:
        await session.execute(along[0])
    elif along:
        await session.execute(select(literal(True)).add_cte(*staged))

"""The transactional outbox: events are written in the same transaction as the state change."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Insert, Select, Text, bindparam, cast, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from shared.contracts.envelope import Envelope
from shared.db import Session

NOTIFY_CHANNEL = "outbox_message"


_COLUMNS = ("event_id", "routing_key", "envelope", "correlation_id")


def outbox_rows(envelopes: Iterable[Envelope[Any]]) -> dict[str, list[Any]]:
    """The parameters of :func:`staged_insert`: an array per column, the events in the order they were emitted."""
    envelopes = list(envelopes)
    columns = {
        "event_id": [e.event_id for e in envelopes],
        "routing_key": [e.data.routing_key() for e in envelopes],
        "envelope": [e.model_dump_json() for e in envelopes],
        "correlation_id": [e.correlation_id for e in envelopes],
    }
    return {_parameter(name): values for name, values in columns.items()}


def _parameter(column: str) -> str:
    """Named apart from any column, so that no ``along`` insert's own values share a parameter's name."""
    return f"outbox_{column}"


@functools.cache
def staged_insert() -> Insert:
    """``INSERT INTO outbox_message ... SELECT FROM unnest(arrays) WITH ORDINALITY ORDER BY ordinality``: one
    statement whatever the number of events, so SQLAlchemy compiles it once per process. A multi-row
    ``insert().values([...])`` has no cache key and was compiled again at every commit (~0.3 ms of CPU)."""
    from shared.messaging.tables import outbox_table

    types: dict[str, Any] = {"event_id": UUID(as_uuid=True), "routing_key": Text(), "envelope": Text(),
                             "correlation_id": Text()}  # fmt: skip
    arrays: list[Any] = [bindparam(_parameter(name), type_=ARRAY(types[name])) for name in _COLUMNS]
    rows = func.unnest(*arrays).table_valued(*_COLUMNS, with_ordinality="n").render_derived()
    emitted = select(rows.c.event_id, rows.c.routing_key, cast(rows.c.envelope, JSONB), rows.c.correlation_id)
    return insert(outbox_table()).from_select(list(_COLUMNS), emitted.order_by(rows.c.n))


@functools.cache
def _staged_and_notified() -> Select[Any]:
    return select(func.pg_notify(NOTIFY_CHANNEL, "")).add_cte(staged_insert().cte("staged"))


async def add_to_outbox(session: Session, envelopes: list[Envelope[Any]], *, along: Sequence[Insert] = ()) -> None:
    """Stage the events in the caller's transaction; the relay is woken when it commits.

    One round trip: the inserts are data-modifying CTEs of the ``SELECT pg_notify`` (PostgreSQL runs such a
    CTE to completion whether or not the query reads it); ``along`` are further inserts of the same
    transaction written in that statement (the idempotency record of the request). NOTIFY is transactional:
    delivered on commit, dropped on rollback."""
    if envelopes and not along:
        await session.execute(_staged_and_notified(), outbox_rows(envelopes))
        return
    staged = [statement.cte(f"along_{n}") for n, statement in enumerate(along)]
    if envelopes:
        staged.append(staged_insert().cte("staged"))
        await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")).add_cte(*staged), outbox_rows(envelopes))
    elif len(along) == 1:
        await session.execute(along[0])
    elif along:
        await session.execute(select(literal(True)).add_cte(*staged))

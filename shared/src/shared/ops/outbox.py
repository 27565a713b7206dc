"""A service's outbox backlog: unpublished rows, the oldest one's age, and those the broker refused."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from shared.db.engine import asyncpg_dsn
from shared.messaging.relay import BACKLOG

REFUSED = "SELECT count(*) FROM outbox_message WHERE published_at IS NULL AND last_error IS NOT NULL"


@dataclass(frozen=True)
class OutboxBacklog:
    pending: int
    oldest_age_seconds: float | None  # None: nothing waits
    refused: int  # waiting for a retry after the broker refused them


async def outbox_backlog(database_url: str, *, timeout: float = 5.0) -> OutboxBacklog:
    conn = await asyncpg.connect(asyncpg_dsn(database_url), timeout=timeout)
    try:
        backlog = await conn.fetchrow(BACKLOG, None, timeout=timeout)  # None: count every row
        refused = await conn.fetchval(REFUSED, timeout=timeout)
    finally:
        await conn.close()
    assert backlog is not None
    oldest = backlog["oldest"]
    age = None if oldest is None else max(0.0, (backlog["now"] - oldest).total_seconds())
    return OutboxBacklog(int(backlog["pending"]), age, int(refused or 0))

"""Looking into a service's own database from its tests: a value, or the events waiting in its outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


class DatabaseProbe:
    engine: AsyncEngine

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        async with self.engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(text(sql), params)]

    async def outbox(self, event_type: str, **match: str) -> list[dict[str, Any]]:
        """Envelopes of ``event_type`` in the outbox whose data has the given values."""
        sql = "SELECT envelope FROM outbox_message WHERE envelope->>'type' = :t ORDER BY id"
        async with self.engine.connect() as conn:
            rows = [r[0] for r in await conn.execute(text(sql), {"t": event_type})]
        return [r for r in rows if all(str(r["data"].get(k)) == v for k, v in match.items())]

"""Counting what a request sends to PostgreSQL, so that a test can pin a route's round trips.

Every statement SQLAlchemy executes passes ``before_cursor_execute`` (savepoints included); the transaction's
``BEGIN``, ``COMMIT`` and ``ROLLBACK`` are counted from the connection's own events, since asyncpg sends them
without a cursor (and not at all on an autocommit connection, ``UnitOfWork.reading``). One ``executemany``
(an insert of several rows) is one entry: asyncpg pipelines it::

    with count_statements(container.engine) as sent:
        await client.post("/bookings", ...)
    assert sent.total <= 9, sent.report()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class Sent:
    statements: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.statements)

    def report(self) -> str:
        """One line per round trip, for a failing assertion or ``-s``."""
        return "\n".join(f"{n:3}  {s}" for n, s in enumerate(self.statements, 1))


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[Sent]:
    sent, sync = Sent(), engine.sync_engine

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.statements.append(" ".join(statement.split())[:160])

    def on_control(name: str) -> Any:
        def sent_unless_autocommit(conn: Any, *_: Any) -> None:
            if not getattr(conn.connection.dbapi_connection, "autocommit", False):  # autocommit sends none
                sent.statements.append(name)

        return sent_unless_autocommit

    listeners = [
        ("before_cursor_execute", on_statement),
        ("begin", on_control("BEGIN")),
        ("commit", on_control("COMMIT")),
        ("rollback", on_control("ROLLBACK")),
    ]
    for name, fn in listeners:
        event.listen(sync, name, fn)
    try:
        yield sent
    finally:
        for name, fn in listeners:
            event.remove(sync, name, fn)

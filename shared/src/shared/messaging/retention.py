"""Retention of the messaging tables: the worker prunes what no redelivery can need any more (issue 12, ADR 0002).

- **Published outbox rows** older than ``outbox_retention`` (default 2 days). An unpublished row is never pruned,
  however old: it is an event still owed to the broker.
- **Inbox rows** older than ``inbox_retention`` (default 7 days; the settings refuse one shorter than the broker's
  redelivery horizon): a row only has to outlive every redelivery of its event.

Both jobs delete in chunks of ``PRUNE_CHUNK`` rows, each chunk its own short transaction, found through an index
(``ix_outbox_message_published_at``, ``ix_inbox_message_received_at``) and claimed ``FOR UPDATE SKIP LOCKED``: no
statement holds many locks or waits for one, and several workers pruning at once take different rows. A run
stops after ``max_chunks`` chunks, so a long history is worked off over a few runs without delaying the other
jobs. The cut-off is the database's clock, the one that stamped the rows (not the container's clock, which a
test may move by years).

Every service's worker runs them (``shared.runtime.run_worker``), beside the service's own jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, TextClause, text

from shared.config import ServiceSettings
from shared.db.uow import UnitOfWork
from shared.scheduling import PeriodicJob

PRUNE_CHUNK = 5_000
MAX_CHUNKS_PER_RUN = 20

PRUNE_OUTBOX = text("""
DELETE FROM outbox_message WHERE id = ANY(ARRAY(
    SELECT id FROM outbox_message
    WHERE published_at < now() - make_interval(secs => :retention_seconds)
    ORDER BY published_at LIMIT :chunk
    FOR UPDATE SKIP LOCKED))
""")
# By ctid, not by joining on the primary key: the planner hashes such a join against a scan of the whole table
# (631 ms a chunk with a million rows, against 7 ms). The rows are locked by the same statement, so their ctids hold.
PRUNE_INBOX = text("""
DELETE FROM inbox_message WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM inbox_message
    WHERE received_at < now() - make_interval(secs => :retention_seconds)
    ORDER BY received_at LIMIT :chunk
    FOR UPDATE SKIP LOCKED))
""")


@dataclass(frozen=True)
class Prune:
    """One table's pruning, as a periodic job ``(uow, now) -> rows deleted``."""

    statement: TextClause
    retention: timedelta
    chunk: int = PRUNE_CHUNK
    max_chunks: int = MAX_CHUNKS_PER_RUN

    async def __call__(self, uow: UnitOfWork, _now: datetime) -> int:
        params = {"retention_seconds": self.retention.total_seconds(), "chunk": self.chunk}
        deleted = 0
        for _ in range(self.max_chunks):
            async with uow:
                result = cast("CursorResult[Any]", await uow.session.execute(self.statement, params))
                await uow.commit()
            deleted += result.rowcount or 0
            if (result.rowcount or 0) < self.chunk:
                break
        return deleted


def prune_outbox(retention: timedelta, **options: int) -> Prune:
    return Prune(PRUNE_OUTBOX, retention, **options)


def prune_inbox(retention: timedelta, **options: int) -> Prune:
    return Prune(PRUNE_INBOX, retention, **options)


def retention_jobs(settings: ServiceSettings, **options: int) -> list[PeriodicJob]:
    """The jobs every worker runs: prune published outbox rows and old inbox rows (``options``: chunk sizes)."""
    return [
        PeriodicJob("prune_published_outbox", prune_outbox(settings.outbox_retention, **options)),
        PeriodicJob("prune_inbox", prune_inbox(settings.inbox_retention, **options)),
    ]

"""History for ``outbox_throughput.py --history N``: N old published outbox rows and N old inbox rows, as a
service that never pruned would have, so that the figures with history can be set beside those without.

The rows are spread over the last 30 days, with envelopes of the benchmark event's size, under the inbox's
consumer name ``history`` (the benchmark's own is ``bench.on_bench_happened``). They are written with
``INSERT … SELECT generate_series`` through every index the tables have, then vacuumed and analysed, as
autovacuum would have left a long-lived table. Between phases the benchmark deletes only the rows it wrote
itself (:func:`reset_sql`), so the history stays.
"""

from __future__ import annotations

import time

import asyncpg

HISTORY_CONSUMER = "history"
SPAN_SECONDS = 30 * 86400

FILL_OUTBOX = """
INSERT INTO outbox_message (event_id, routing_key, envelope, created_at, available_at, published_at, attempts)
SELECT gen_random_uuid(), $2, $3::jsonb, t, t, t + interval '5 milliseconds', 1
FROM (SELECT now() - make_interval(secs => $4 * (1 - i::float8 / $1)) AS t FROM generate_series(1, $1) AS i) AS s
"""
FILL_INBOX = """
INSERT INTO inbox_message (consumer, event_id, received_at)
SELECT $2, gen_random_uuid(), now() - make_interval(secs => $3 * (1 - i::float8 / $1))
FROM generate_series(1, $1) AS i
"""


async def fill(db: asyncpg.Connection, rows: int, routing_key: str, envelope: str) -> int:
    """Write the history; returns the highest outbox id it used (the benchmark's own rows come after it)."""
    started = time.perf_counter()
    await db.execute(FILL_OUTBOX, rows, routing_key, envelope, SPAN_SECONDS)
    await db.execute(FILL_INBOX, rows, HISTORY_CONSUMER, SPAN_SECONDS)
    await db.execute("VACUUM ANALYZE outbox_message")
    await db.execute("VACUUM ANALYZE inbox_message")
    last_id = int(await db.fetchval("SELECT coalesce(max(id), 0) FROM outbox_message"))
    sizes = await db.fetchrow(
        "SELECT pg_total_relation_size('outbox_message') AS outbox, pg_total_relation_size('inbox_message') AS inbox"
    )
    assert sizes is not None
    outbox, inbox = (sizes[t] / 2**20 for t in ("outbox", "inbox"))
    took = time.perf_counter() - started
    print(f"history: {rows:,} rows in each table in {took:.0f} s; with indexes the outbox holds {outbox:,.0f} MiB, "
          f"the inbox {inbox:,.0f} MiB", flush=True)  # fmt: skip
    return last_id


def reset_sql(history_last_id: int | None, consumer: str) -> list[str]:
    """Empty what a phase wrote: everything without history; only the rows after the history with it (both
    deletes go through an index: the outbox's primary key, the inbox's ``(consumer, event_id)``)."""
    if history_last_id is None:
        return ["TRUNCATE outbox_message, inbox_message, bench_effect"]
    assert consumer != HISTORY_CONSUMER and consumer.replace(".", "_").isidentifier()
    return [
        f"DELETE FROM outbox_message WHERE id > {int(history_last_id)}",
        f"DELETE FROM inbox_message WHERE consumer = '{consumer}'",
        "TRUNCATE bench_effect",
    ]

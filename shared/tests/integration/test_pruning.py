"""The worker's retention jobs on real PostgreSQL: old published outbox rows and old inbox rows go, unpublished
and recent rows stay, in bounded chunks, and several workers pruning at once neither block nor double count."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from shared.messaging.retention import PRUNE_INBOX, PRUNE_OUTBOX, prune_inbox, prune_outbox, retention_jobs
from shared.scheduling import run_jobs_once

from .conftest import Scratch

DAY = timedelta(days=1)


async def add_outbox(scratch: Scratch, count: int, *, age: timedelta, published: bool) -> None:
    """``count`` outbox rows created ``age`` ago, published then too or still waiting."""
    async with scratch.engine.begin() as conn:
        await conn.execute(
            text("""
                INSERT INTO outbox_message (event_id, routing_key, envelope, created_at, published_at)
                SELECT gen_random_uuid(), 'probe.probe_happened.v1', '{}'::jsonb, now() - make_interval(secs => :age),
                       CASE WHEN :published THEN now() - make_interval(secs => :age) END
                FROM generate_series(1, :count)
            """),
            {"age": age.total_seconds(), "published": published, "count": count},
        )


async def add_inbox(scratch: Scratch, count: int, *, age: timedelta, consumer: str = "probe") -> None:
    async with scratch.engine.begin() as conn:
        await conn.execute(
            text("""
                INSERT INTO inbox_message (consumer, event_id, received_at)
                SELECT :consumer, gen_random_uuid(), now() - make_interval(secs => :age) FROM generate_series(1, :count)
            """),
            {"consumer": consumer, "age": age.total_seconds(), "count": count},
        )


async def outbox_counts(scratch: Scratch) -> dict[str, int]:
    async with scratch.engine.connect() as conn:
        row = (
            await conn.execute(
                text("""
                    SELECT count(*) FILTER (WHERE published_at IS NULL) AS unpublished,
                           count(*) FILTER (WHERE published_at < now() - interval '1 day') AS old_published,
                           count(*) FILTER (WHERE published_at >= now() - interval '1 day') AS recent_published
                    FROM outbox_message
                """)
            )
        ).one()
    return dict(row._mapping)


async def inbox_ages(scratch: Scratch) -> list[float]:
    async with scratch.engine.connect() as conn:
        ages = await conn.execute(text("SELECT extract(epoch FROM now() - received_at) / 86400 FROM inbox_message"))
        return sorted(round(float(age)) for (age,) in ages)


async def test_old_published_rows_go_and_unpublished_and_recent_ones_stay(scratch: Scratch) -> None:
    await add_outbox(scratch, 7, age=3 * DAY, published=True)
    await add_outbox(scratch, 4, age=30 * DAY, published=False)  # owed to the broker, however old
    await add_outbox(scratch, 2, age=DAY / 2, published=True)
    await scratch.emit(3)  # just written, waiting for the relay

    deleted = await prune_outbox(2 * DAY, chunk=3)(scratch.uow(), datetime.now(UTC))

    assert deleted == 7  # in chunks of 3: 3, 3, 1
    assert await outbox_counts(scratch) == {"unpublished": 7, "old_published": 0, "recent_published": 2}


async def test_old_inbox_rows_go_and_recent_ones_stay(scratch: Scratch) -> None:
    await add_inbox(scratch, 5, age=8 * DAY)
    await add_inbox(scratch, 3, age=9 * DAY, consumer="other")
    await add_inbox(scratch, 2, age=6 * DAY)
    await add_inbox(scratch, 1, age=timedelta(0))

    assert await prune_inbox(7 * DAY, chunk=4)(scratch.uow(), datetime.now(UTC)) == 8
    assert await inbox_ages(scratch) == [0, 6, 6]


async def test_a_run_stops_after_its_chunks_and_the_next_one_goes_on(scratch: Scratch) -> None:
    await add_inbox(scratch, 10, age=8 * DAY)
    prune = prune_inbox(7 * DAY, chunk=3, max_chunks=2)
    assert [await prune(scratch.uow(), datetime.now(UTC)) for _ in range(3)] == [6, 4, 0]


async def test_concurrent_prunes_share_the_work_and_delete_each_row_once(scratch: Scratch) -> None:
    await add_outbox(scratch, 3_000, age=3 * DAY, published=True)
    await add_outbox(scratch, 50, age=3 * DAY, published=False)
    await add_inbox(scratch, 3_000, age=8 * DAY)
    await add_inbox(scratch, 50, age=DAY)
    settings = scratch.settings.model_copy(update={"outbox_retention": 2 * DAY, "inbox_retention": 7 * DAY})
    jobs = retention_jobs(settings, chunk=100)

    runs = await asyncio.gather(*(run_jobs_once(scratch.container, jobs) for _ in range(4)))

    assert sum(run["prune_published_outbox"] for run in runs) == 3_000
    assert sum(run["prune_inbox"] for run in runs) == 3_000
    assert await outbox_counts(scratch) == {"unpublished": 50, "old_published": 0, "recent_published": 0}
    assert await inbox_ages(scratch) == [1] * 50


async def test_prunes_go_through_the_retention_indexes(scratch: Scratch) -> None:
    await add_outbox(scratch, 2_000, age=DAY, published=True)
    await add_inbox(scratch, 2_000, age=DAY)
    params = {"retention_seconds": (2 * DAY).total_seconds(), "chunk": 5_000}
    async with scratch.engine.begin() as conn:
        await conn.execute(text("ANALYZE outbox_message, inbox_message"))
        plans = {}
        for name, statement in (("outbox", PRUNE_OUTBOX), ("inbox", PRUNE_INBOX)):
            lines = await conn.execute(text(f"EXPLAIN {statement.text}"), params)
            plans[name] = "\n".join(line for (line,) in lines)
    assert "ix_outbox_message_published_at" in plans["outbox"], plans["outbox"]
    assert "ix_inbox_message_received_at" in plans["inbox"], plans["inbox"]
    for plan in plans.values():  # no step reads the whole table: a chunk costs the same however long the history
        assert "Seq Scan" not in plan, plan

"""Periodic jobs that change state on time (open a round, send a reminder), safe with many replicas.

A job runs in its own unit of work and must claim what it acts on so that two replicas cannot both act:
a conditional ``UPDATE ... WHERE state = 'scheduled' ... RETURNING`` or ``SELECT ... FOR UPDATE SKIP
LOCKED`` plus a marker column, committed with the events it emits. Then every event goes out exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db.uow import UnitOfWork
from shared.observability.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[UnitOfWork, datetime], Awaitable[int]]  # returns how many things it did


async def run_jobs_once(
    sessionmaker: async_sessionmaker[AsyncSession], jobs: Sequence[PeriodicJob], now: datetime | None = None
) -> dict[str, int]:
    """Run every job once at ``now`` (tests pass a clock value); a failing job does not stop the others."""
    done: dict[str, int] = {}
    for job in jobs:
        try:
            async with UnitOfWork(sessionmaker) as uow:
                done[job.name] = await job.run(uow, now or datetime.now(UTC))
                await uow.commit()
        except Exception:
            log.exception("job_failed", job=job.name)
            done[job.name] = 0
            continue
        if done[job.name]:
            log.info("job_done", job=job.name, count=done[job.name])
    return done


async def run_periodically(
    sessionmaker: async_sessionmaker[AsyncSession], jobs: Sequence[PeriodicJob], interval: float, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        await run_jobs_once(sessionmaker, jobs)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)

"""Periodic jobs that change state on time (open a round, send a reminder), safe with many replicas.

A job is a use case ``async def job(uow, now) -> int`` (how many things it did) that owns its transactions,
like every use case: it opens ``async with uow`` (once, or once per item it acts on) and commits. It must
claim what it acts on so that two replicas cannot both act: a conditional
``UPDATE ... WHERE state = 'scheduled' ... RETURNING`` or ``SELECT ... FOR UPDATE SKIP LOCKED`` plus a marker
column, committed with the events it emits. Then every event goes out exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.observability.logging import get_logger

if TYPE_CHECKING:
    from shared.container import Container

log = get_logger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[Any, datetime], Awaitable[int]]  # (the service's unit of work, now) -> things done


async def run_jobs_once(
    container: Container[Any, Any], jobs: Sequence[PeriodicJob], now: datetime | None = None
) -> dict[str, int]:
    """Run every job once at ``now`` (default: the container's clock); a failing job does not stop the others."""
    done: dict[str, int] = {}
    for job in jobs:
        try:
            done[job.name] = await job.run(container.uow(), now or container.clock())
        except Exception:
            log.exception("job_failed", job=job.name)
            done[job.name] = 0
            continue
        if done[job.name]:
            log.info("job_done", job=job.name, count=done[job.name])
    return done


async def run_periodically(
    container: Container[Any, Any], jobs: Sequence[PeriodicJob], interval: float, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        await run_jobs_once(container, jobs)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)

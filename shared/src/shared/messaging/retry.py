"""How a consumer treats failure: infrastructure outages pause it, a handler's own failures back off.

- **The consumer's own database (or pool) fails** — connection refused or dropped, backend terminated, pool
  exhausted. That says nothing about the event, so it must not spend the event's delivery attempts: the consumer
  keeps the message, waits until the database answers again (:func:`wait_for_database`), and handles it then.
- **The handler itself fails** (a bug, a rule it cannot satisfy yet): the same delivery is retried in process
  after each of ``handler_retry_delays_seconds`` (default 1, 2, 4, 8, 15 and 30 s: about a minute in all), and
  then rejected into the dead-letter queue, where operators inspect and replay it.
- The queue's ``x-delivery-limit`` stays as the safety net for a process that dies on a message (a crash
  loop); a redelivery after a crash starts the back-off again.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.failures import is_infrastructure_failure
from shared.observability.logging import get_logger

log = get_logger(__name__)


async def wait_for_database(engine: AsyncEngine, *, max_interval: float = 5.0) -> float:
    """Return once the database answers ``SELECT 1`` again; returns the seconds waited."""
    loop = asyncio.get_running_loop()
    started, interval = loop.time(), 0.2
    while True:
        try:
            async with engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=2)
            return loop.time() - started
        except Exception as exc:
            if not is_infrastructure_failure(exc):
                raise
        await asyncio.sleep(interval)
        interval = min(interval * 2, max_interval)

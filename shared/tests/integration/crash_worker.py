"""A consumer process that hangs inside its transaction, for a test to kill mid-message.

Run as ``python crash_worker.py`` with CRASH_DB_URL, CRASH_AMQP_URL, CRASH_NAMESPACE and CRASH_MARKER set.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest import ProbeHappened, apply_effect  # type: ignore[attr-defined]  # run as a script, beside it
from shared.config import ServiceSettings
from shared.container import Container, build_container
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import EventMeta, Subscription
from shared.runtime import run_worker

HANG_ON = int(os.environ.get("CRASH_HANG_ON", "-1"))  # the event whose handler hangs; -1: the first


async def hang_after_effect(uow: UnitOfWork, event: ProbeHappened, meta: EventMeta) -> None:
    await apply_effect(uow, event, meta)
    if HANG_ON not in (-1, event.n):
        return  # an earlier event of the batch: its effect waits, uncommitted, with the batch
    Path(os.environ["CRASH_MARKER"]).write_text(str(meta.event_id))
    await asyncio.sleep(3600)  # killed here: the transaction never commits, the message is never acked


if __name__ == "__main__":
    settings = ServiceSettings(
        service_name="probe",
        database_url=os.environ["CRASH_DB_URL"],
        amqp_url=os.environ["CRASH_AMQP_URL"],
        namespace=os.environ["CRASH_NAMESPACE"],
        delivery_limit=3,
        consumer_batch_wait_ms=float(os.environ.get("CRASH_BATCH_WAIT_MS", "0")),
    )
    container = build_container(Container, settings, unit_of_work=UnitOfWork)
    asyncio.run(run_worker(container, [Subscription(ProbeHappened, hang_after_effect)]))

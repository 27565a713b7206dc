"""A consumer process that hangs inside its transaction, for a test to kill mid-message.

Run as ``python crash_worker.py`` with CRASH_DB_URL, CRASH_AMQP_URL, CRASH_NAMESPACE and CRASH_MARKER set.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from sqlalchemy.ext.asyncio import AsyncSession

from conftest import ProbeHappened, apply_effect
from shared.config import ServiceSettings
from shared.contracts.envelope import Envelope
from shared.messaging.consumer import Subscription
from shared.runtime import run_worker


async def hang_after_effect(session: AsyncSession, envelope: Envelope[Any]) -> None:
    await apply_effect(session, envelope)
    await session.flush()
    Path(os.environ["CRASH_MARKER"]).write_text(str(envelope.event_id))
    await asyncio.sleep(3600)  # killed here: the transaction never commits, the message is never acked


if __name__ == "__main__":
    settings = ServiceSettings(
        database_url=os.environ["CRASH_DB_URL"],
        amqp_url=os.environ["CRASH_AMQP_URL"],
        namespace=os.environ["CRASH_NAMESPACE"],
        delivery_limit=3,
    )
    asyncio.run(run_worker(settings, [Subscription("probe", ProbeHappened, hang_after_effect)]))

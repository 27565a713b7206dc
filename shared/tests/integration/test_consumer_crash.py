"""A consumer process killed mid-message: the message comes back and is applied exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from shared.messaging.consumer import Subscription, declare_container_subscriptions

from .conftest import ProbeHappened, Scratch, apply_effect, wait_until
from .test_consumer import envelope_bytes, publish


async def test_a_consumer_killed_mid_message_loses_nothing_and_applies_nothing_twice(
    scratch: Scratch, tmp_path: Path
) -> None:
    marker = tmp_path / "handling"
    env = os.environ | {
        "CRASH_DB_URL": scratch.url,
        "CRASH_AMQP_URL": scratch.settings.amqp_url,
        "CRASH_NAMESPACE": scratch.topology.namespace,
        "CRASH_MARKER": str(marker),
    }
    await scratch.tap("warmup")  # declares the exchanges
    await declare_container_subscriptions(scratch.container, [Subscription(ProbeHappened, apply_effect)])
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).parent / "crash_worker.py"), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        event_id, body = envelope_bytes()
        await publish(scratch, body)  # waits in the queue declared below until the worker takes it
        await wait_until(lambda: _exists(marker), timeout=30)  # the worker is inside its transaction
    finally:
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
    assert await scratch.effects() == {}  # the uncommitted effect died with the process

    async with scratch.consumer():  # a replica that stays alive
        await wait_until(lambda: _applied(scratch, event_id))
        await asyncio.sleep(0.5)
    assert await scratch.effects() == {event_id: 1}


async def _exists(path: Path) -> bool:
    return path.exists()


async def _applied(scratch: Scratch, event_id: object) -> bool:
    return event_id in await scratch.effects()

"""The batching consumer: one transaction per batch (a savepoint per event once one fails); a failing handler
rolls back alone, and a process killed mid-batch loses nothing and applies nothing twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from shared.contracts.envelope import Envelope
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import EventMeta, Subscription, declare_container_subscriptions
from shared.testing.broker import drain, queue_depth

from .conftest import ProbeHappened, Scratch, apply_effect, wait_until
from .test_consumer import publish, queue_of

BATCHED = {"consumer_batch_wait_ms": 300, "consumer_batch_size": 10}


def envelopes(count: int) -> list[Envelope[ProbeHappened]]:
    return [Envelope.wrap(ProbeHappened(n=i), correlation_id=f"c-{i}") for i in range(count)]


async def test_in_a_batch_a_failing_handler_rolls_back_alone_and_the_others_commit_once(scratch: Scratch) -> None:
    scratch.container.settings = scratch.settings.model_copy(update=BATCHED)
    units: list[int] = []

    async def fail_on_two(uow: UnitOfWork, event: ProbeHappened, meta: EventMeta) -> None:
        units.append(id(uow))
        async with uow:
            uow.emit(ProbeHappened(n=event.n + 100))
            await uow.commit()
        await apply_effect(uow, event, meta)
        if event.n == 2:
            raise RuntimeError("handler bug")

    sent = envelopes(5)
    dlq = scratch.topology.dead_letter_queue(queue_of(scratch))
    await declare_container_subscriptions(scratch.container, [Subscription(ProbeHappened, apply_effect)])
    for envelope in sent:  # waiting in the queue before the consumer starts: they arrive together
        await publish(scratch, envelope.model_dump_json().encode())
    async with scratch.consumer(fail_on_two):
        await wait_until(lambda: _depth(scratch, dlq, 1))
        await asyncio.sleep(0.3)
    # The first pass, without savepoints, stopped at the failure and was rolled back whole; the second ran the
    # four others in one unit of work (one batch), each in its own savepoint, without trying event 2 again.
    assert len(set(units[:3])) == 1 and len(set(units[3:7])) == 1 and units[3] != units[0]
    assert await scratch.effects() == {e.event_id: 1 for e in sent if e.data.n != 2}
    assert await scratch.unpublished() == 4  # what the failed handler emitted went with its savepoint
    assert await queue_depth(scratch.channel, queue_of(scratch)) == 0
    [dead] = await drain(scratch.channel, dlq, expect=1)
    assert dead["event_id"] == str(sent[2].event_id)


async def test_a_redelivered_batch_has_no_second_effect(scratch: Scratch) -> None:
    scratch.container.settings = scratch.settings.model_copy(update=BATCHED)
    sent = envelopes(6)
    async with scratch.consumer():
        for envelope in sent:
            await publish(scratch, envelope.model_dump_json().encode())
        await wait_until(lambda: _applied(scratch, sent))
        for envelope in [*sent, *sent]:  # the batch again, twice, as redeliveries would bring it
            await publish(scratch, envelope.model_dump_json().encode())
        await wait_until(lambda: _empty(scratch))
        await asyncio.sleep(0.3)
    assert await scratch.effects() == {e.event_id: 1 for e in sent}


async def test_a_consumer_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    scratch: Scratch, tmp_path: Path
) -> None:
    marker = tmp_path / "handling"
    env = os.environ | {
        "CRASH_DB_URL": scratch.url, "CRASH_AMQP_URL": scratch.settings.amqp_url,
        "CRASH_NAMESPACE": scratch.topology.namespace, "CRASH_MARKER": str(marker),
        "CRASH_HANG_ON": "3", "CRASH_BATCH_WAIT_MS": "300",
    }  # fmt: skip
    await scratch.tap("warmup")
    await declare_container_subscriptions(scratch.container, [Subscription(ProbeHappened, apply_effect)])
    sent = envelopes(5)
    for envelope in sent:
        await publish(scratch, envelope.model_dump_json().encode())
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).parent / "crash_worker.py"), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await wait_until(lambda: _exists(marker), timeout=30)  # events 0-2 applied, uncommitted; 3 hangs
    finally:
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
    assert await scratch.effects() == {}  # the whole batch's transaction died with the process

    async with scratch.consumer():
        await wait_until(lambda: _applied(scratch, sent))
        await asyncio.sleep(0.5)
    assert await scratch.effects() == {e.event_id: 1 for e in sent}


async def _depth(scratch: Scratch, queue: str, n: int) -> bool:
    return await queue_depth(scratch.channel, queue) == n


async def _empty(scratch: Scratch) -> bool:
    return await queue_depth(scratch.channel, queue_of(scratch)) == 0


async def _applied(scratch: Scratch, sent: list[Envelope[ProbeHappened]]) -> bool:
    return set(await scratch.effects()) >= {e.event_id for e in sent}


async def _exists(path: Path) -> bool:
    return path.exists()


async def test_a_workers_consumer_comes_back_when_the_broker_drops_its_connection(scratch: Scratch) -> None:
    """The worker's consumers run on one robust connection, named for operators; the broker closing it (a
    restart, an operator) stops nothing for good: the consumer resumes on the new connection."""
    name = f"probe consumers ({scratch.container.settings.namespace})"  # the namespace makes it this test's
    assert await asyncio.to_thread(_connections, name) == []
    async with scratch.consumer():
        [pid] = await asyncio.to_thread(_connections, name)
        first = envelopes(2)
        await publish(scratch, first[0].model_dump_json().encode())
        await wait_until(lambda: _applied(scratch, first[:1]))
        await asyncio.to_thread(
            subprocess.run, ["rabbitmqctl", "-q", "close_connection", pid, "test: the broker drops it"], check=True
        )
        await wait_until(lambda: _reconnected(name, pid), timeout=30)
        await publish(scratch, first[1].model_dump_json().encode())
        await wait_until(lambda: _applied(scratch, first), timeout=30)
    assert await scratch.effects() == {e.event_id: 1 for e in first}


def _connections(name: str) -> list[str]:
    """The broker's pids of the connections named ``name``."""
    out = subprocess.run(
        ["rabbitmqctl", "-q", "list_connections", "pid", "client_properties"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    return [line.split()[0] for line in out.splitlines() if f'"{name}"' in line]


async def _reconnected(name: str, old: str) -> bool:
    return [p for p in await asyncio.to_thread(_connections, name) if p != old] != []

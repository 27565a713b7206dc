"""The outbox and its relay against real PostgreSQL and RabbitMQ: atomic, once, and surviving faults."""

from __future__ import annotations

import asyncio
from urllib.parse import urlparse

import aio_pika
import pytest
from sqlalchemy import event, text

from shared.testing.broker import drain
from shared.testing.proxy import CuttableProxy

from .conftest import ProbeHappened, Scratch, wait_until


async def test_a_rolled_back_change_publishes_nothing(scratch: Scratch) -> None:
    tap = await scratch.tap()
    await scratch.emit(3, commit=False)
    assert await scratch.unpublished() == 0
    async with scratch.running_relay():
        assert await drain(scratch.channel, tap, expect=1, timeout=1.5) == []


async def test_a_committed_change_is_published_once_as_a_persistent_enveloped_message(scratch: Scratch) -> None:
    tap = await scratch.tap()
    ids = await scratch.emit(5)
    async with scratch.running_relay():
        bodies = await drain(scratch.channel, tap, expect=5)
        assert await drain(scratch.channel, tap, expect=1, timeout=1.0) == []
    assert sorted(b["event_id"] for b in bodies) == sorted(str(i) for i in ids)
    first = bodies[0]
    assert first["type"] == "ProbeHappened" and first["version"] == 1 and first["producer"] == "probe"
    assert {"occurred_at", "correlation_id", "data"} <= first.keys()
    assert await scratch.unpublished() == 0


async def test_a_unit_of_work_stages_its_events_in_the_order_they_were_emitted_with_one_compiled_statement(
    scratch: Scratch,
) -> None:
    compiled: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "outbox_message" in statement:
            compiled.append(statement)

    event.listen(scratch.engine.sync_engine, "before_cursor_execute", count)
    cache = scratch.engine.sync_engine._compiled_cache
    assert cache is not None
    try:
        ids = [*await scratch.emit(1), *await scratch.emit(7), *await scratch.emit(3)]
        before = len(cache)
        ids += await scratch.emit(5)  # a fourth size: found in the cache, nothing compiled again
        assert len(cache) == before
    finally:
        event.remove(scratch.engine.sync_engine, "before_cursor_execute", count)
    assert len(compiled) == 4 and len(set(compiled)) == 1  # one statement text, whatever the number of events
    async with scratch.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT event_id, envelope FROM outbox_message ORDER BY id"))).all()
    assert [r.event_id for r in rows] == ids
    assert all(r.envelope["event_id"] == str(r.event_id) and r.envelope["type"] == "ProbeHappened" for r in rows)


async def test_the_message_carries_its_event_id_and_is_persistent(scratch: Scratch) -> None:
    tap = await scratch.tap()
    [event_id] = await scratch.emit(1)
    relay = scratch.relay()
    await relay.start_pool()
    try:
        assert await relay.relay_once() == 1
    finally:
        await relay.close()
    queue = await scratch.channel.get_queue(tap, ensure=False)
    message = await queue.get(no_ack=True, timeout=5)
    assert message.message_id == str(event_id)
    assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    assert message.routing_key == ProbeHappened.routing_key()


async def test_two_relays_at_once_publish_every_event_exactly_once(scratch: Scratch) -> None:
    tap = await scratch.tap()
    ids = await scratch.emit(600)
    async with scratch.running_relay(batch_size=50), scratch.running_relay(batch_size=50):
        bodies = await drain(scratch.channel, tap, expect=600, timeout=30)
        assert await drain(scratch.channel, tap, expect=1, timeout=1.0) == []
    received = [b["event_id"] for b in bodies]
    assert len(received) == 600 and set(received) == {str(i) for i in ids}


async def test_a_window_of_batches_in_flight_publishes_every_event_exactly_once(scratch: Scratch) -> None:
    """The next batch is claimed while the last waits for its confirms, and no row goes out twice."""
    tap = await scratch.tap()
    ids = await scratch.emit(500)
    relay, stop = scratch.relay(batch_size=20, window=3), asyncio.Event()
    one_batch, in_flight, most = relay.relay_once, 0, 0

    async def counted() -> int:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            return await one_batch()
        finally:
            in_flight -= 1

    relay.relay_once = counted  # type: ignore[method-assign]
    running = asyncio.create_task(relay.run(stop))
    try:
        bodies = await drain(scratch.channel, tap, expect=500, timeout=30)
        assert await drain(scratch.channel, tap, expect=1, timeout=1.0) == []
    finally:
        stop.set()
        await running
    assert sorted(b["event_id"] for b in bodies) == sorted(str(i) for i in ids)
    assert await scratch.unpublished() == 0
    assert most == 3


async def test_the_relay_survives_a_dropped_broker_connection(scratch: Scratch) -> None:
    tap = await scratch.tap()
    broker = urlparse(scratch.settings.amqp_url)
    proxy = CuttableProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    await proxy.start()
    via_proxy = scratch.settings.amqp_url.replace(f":{broker.port}", f":{proxy.port}")
    before = await scratch.emit(50)
    async with scratch.running_relay(amqp_url=via_proxy, max_backoff=0.5, publish_timeout=2):
        first = await drain(scratch.channel, tap, expect=50)
        await proxy.cut()
        during = await scratch.emit(50)
        await asyncio.sleep(1.5)  # the relay fails, backs off, retries against a dead network
        assert await scratch.unpublished() == 50
        await proxy.restore()
        rest = await drain(scratch.channel, tap, expect=50, timeout=30)
        await wait_until(lambda: _none_left(scratch))
    await proxy.cut()
    assert {b["event_id"] for b in first + rest} == {str(i) for i in before + during}


async def test_after_a_long_broker_outage_the_outbox_drains_within_five_seconds(scratch: Scratch) -> None:
    """With the default back-off: a 12 s outage once let it grow to 30 s before the relay tried again."""
    tap = await scratch.tap()
    broker = urlparse(scratch.settings.amqp_url)
    proxy = CuttableProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    await proxy.start()
    via_proxy = scratch.settings.amqp_url.replace(f":{broker.port}", f":{proxy.port}")
    async with scratch.running_relay(amqp_url=via_proxy, publish_timeout=2):
        await scratch.emit(5)
        await drain(scratch.channel, tap, expect=5, timeout=10)  # connected and publishing
        await proxy.cut()
        waiting = await scratch.emit(100)
        await asyncio.sleep(12)
        await proxy.restore()
        back = asyncio.get_running_loop().time()
        await wait_until(lambda: _none_left(scratch), timeout=10)
        drained_after = asyncio.get_running_loop().time() - back
        got = await drain(scratch.channel, tap, expect=100, timeout=10)
    await proxy.cut()
    assert drained_after < 5, f"the outbox drained {drained_after:.1f} s after the broker came back"
    assert {b["event_id"] for b in got} == {str(i) for i in waiting}


async def _none_left(scratch: Scratch) -> bool:
    return await scratch.unpublished() == 0


async def test_a_relay_restarted_between_publish_and_mark_sent_loses_nothing_and_applies_nothing_twice(
    scratch: Scratch, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await scratch.emit(20)
    async with scratch.consumer() as (_, metrics):
        crashing = scratch.relay()
        await crashing.start_pool()

        async def die(*_: object) -> None:
            raise RuntimeError("killed after publishing, before marking sent")

        monkeypatch.setattr(crashing, "_mark", die)
        with pytest.raises(RuntimeError):
            await crashing.relay_once()
        await crashing.close()
        assert await scratch.unpublished() == 20  # nothing was marked: the batch will be published again

        async with scratch.running_relay():  # the restarted relay
            await wait_until(lambda: _none_left(scratch))
            await wait_until(lambda: _handled(metrics, "duplicate", 20))
        assert await scratch.effects() == dict.fromkeys(ids, 1)
        assert _count(metrics, "processed") == 20


def _count(metrics: object, outcome: str) -> float:
    return (
        metrics.registry.get_sample_value(  # type: ignore[attr-defined]
            "messages_handled_total", {"consumer": "probe.on_probe_happened", "outcome": outcome}
        )
        or 0.0
    )


async def _handled(metrics: object, outcome: str, n: int) -> bool:
    return _count(metrics, outcome) >= n

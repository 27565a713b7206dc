"""The consumer's own database refuses connections for a while: events wait, none is dead-lettered or lost."""

from __future__ import annotations

import asyncio

from sqlalchemy.engine import make_url

from shared.testing.broker import queue_depth
from shared.testing.proxy import CuttableProxy

from .conftest import Scratch, wait_until
from .test_consumer import envelope_bytes, publish, queue_of


async def test_a_database_outage_pauses_the_consumer_and_spends_no_delivery_attempt(scratch: Scratch) -> None:
    database = make_url(scratch.url)
    proxy = CuttableProxy(database.host or "127.0.0.1", database.port or 5432)
    await proxy.start()
    via_proxy = database.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    sent = [envelope_bytes() for _ in range(60)]
    dlq = scratch.topology.dead_letter_queue(queue_of(scratch))
    async with scratch.consumer(database_url=via_proxy) as (_, metrics):
        for _, body in sent[:20]:
            await publish(scratch, body)
        await wait_until(lambda: _applied_count(scratch, 20))
        await proxy.cut()  # the database refuses connections and the open ones drop
        for _, body in sent[20:]:
            await publish(scratch, body)
        await asyncio.sleep(6)  # well past the back-off a handler failure would get
        assert await queue_depth(scratch.channel, dlq) == 0
        await proxy.restore()
        await wait_until(lambda: _applied_count(scratch, len(sent)), timeout=30)
    effects = await scratch.effects()
    assert set(effects) == {event_id for event_id, _ in sent} and set(effects.values()) == {1}
    assert await queue_depth(scratch.channel, dlq) == 0
    paused = metrics.registry.get_sample_value("consumer_paused_seconds_total", {"consumer": "probe.on_probe_happened"})
    assert paused is not None and paused > 0
    retried = metrics.registry.get_sample_value("handler_retries_total", {"consumer": "probe.on_probe_happened"})
    assert not retried  # an outage is no handler failure
    await proxy.cut()


async def _applied_count(scratch: Scratch, n: int) -> bool:
    return len(await scratch.effects()) >= n

"""The parking queue and the dead-letter queues are bounded and never drop: full, they refuse, the refused
message stays where it was (an unpublished outbox row), the watch has warned first, and once an operator makes
room everything arrives, once."""

from __future__ import annotations

import dataclasses
import uuid

from structlog.testing import capture_logs

from shared.messaging.topology import Bound
from shared.ops import dead_letters
from shared.runtime import QueueWatch
from shared.testing.broker import queue_depth

from .conftest import Scratch, wait_until


async def test_a_full_parking_queue_refuses_events_which_wait_in_the_outbox_and_arrive_later(scratch: Scratch) -> None:
    bound = Bound(max_messages=3, max_bytes=2**20)
    topology = scratch.container.topology = dataclasses.replace(scratch.topology, unrouted_bound=bound)
    await scratch.tap("warmup")  # the exchanges and the bounded parking queue; no queue for the probe event
    await scratch.channel.queue_delete(f"{topology.namespace}.warmup")
    registry = scratch.container.metrics.registry

    relay = scratch.relay(topology=topology)
    await relay.start_pool()
    try:
        ids = await scratch.emit(5)
        await relay.relay_once()  # one burst: a quorum queue checks its bound as messages arrive, so it may pass
        parked = await queue_depth(scratch.channel, topology.unrouted)
        assert parked >= 3 and parked + await scratch.unpublished() == 5
        ids += await scratch.emit(4)
        await relay.relay_once()  # now full: refused, not dropped
        assert await queue_depth(scratch.channel, topology.unrouted) == parked
        assert await scratch.unpublished() == 9 - parked  # each event is parked or still in the outbox
        assert (relay.metrics.registry.get_sample_value("outbox_publish_failures_total") or 0) == 9 - parked
    finally:
        await relay.close()

    watch = QueueWatch.unrouted(scratch.container)
    try:
        with capture_logs() as logs:
            await watch.check()
        warnings = [(e["event"], e["count"]) for e in logs if e["log_level"] == "warning"]
        assert warnings == [("unrouted_events_waiting", parked), ("queue_nearly_full", parked)]
        assert registry.get_sample_value("unrouted_messages") == parked
        label = {"queue": topology.consumer_key(topology.unrouted)}
        assert registry.get_sample_value("queue_capacity_messages", label) == 3
    finally:
        await watch.inspector.close()

    async with scratch.consumer(), scratch.running_relay(topology=topology):  # a consumer now exists
        outcome = await dead_letters.replay_parked(
            scratch.settings.amqp_url, topology.unrouted, topology.events_exchange
        )
        assert outcome.settled == parked
        await wait_until(lambda: _applied_once(scratch, ids), timeout=30)  # refused rows come back after a back-off
    assert await queue_depth(scratch.channel, topology.unrouted) == 0 and await scratch.unpublished() == 0


async def _applied_once(scratch: Scratch, ids: list[uuid.UUID]) -> bool:
    effects = await scratch.effects()
    return set(ids) <= effects.keys() and all(effects[i] == 1 for i in ids)

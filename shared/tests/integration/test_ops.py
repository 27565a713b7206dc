"""The operators' tools on real RabbitMQ and PostgreSQL: dead letters say why, list without loss, replay once.

Figures the tests assert are counted in the names: a test that dead-letters three events checks three listed,
three replayed and three applied, and so on.
"""

from __future__ import annotations

import asyncio
import uuid

import aio_pika
import pytest
from prometheus_client import generate_latest
from sqlalchemy.dialects.postgresql import insert
from structlog.testing import capture_logs

from shared.contracts.envelope import Envelope
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import EventMeta, Subscription, declare_container_subscriptions
from shared.ops import dead_letters
from shared.ops.outbox import outbox_backlog
from shared.runtime import QueueWatch
from shared.testing.broker import drain, queue_depth

from .conftest import ProbeHappened, Scratch, apply_effect, effect, wait_until


class Switch:
    """A handler that fails until it is "fixed", as a deployed correction would."""

    def __init__(self) -> None:
        self.broken = True

    async def __call__(self, uow: UnitOfWork, event: ProbeHappened, meta: EventMeta) -> None:
        if self.broken:
            raise RuntimeError("the handler is broken")
        await apply_effect(uow, event, meta)


def envelope(n: int = 1) -> tuple[str, bytes]:
    wrapped = Envelope.wrap(ProbeHappened(n=n), correlation_id=f"c-{uuid.uuid4().hex[:6]}")
    return str(wrapped.event_id), wrapped.model_dump_json().encode()


async def publish(scratch: Scratch, body: bytes, event_id: str) -> None:
    exchange = await scratch.channel.get_exchange(scratch.topology.events_exchange)
    message = aio_pika.Message(body, message_id=event_id, delivery_mode=aio_pika.DeliveryMode.PERSISTENT)
    await exchange.publish(message, ProbeHappened.routing_key())


def queue_of(scratch: Scratch) -> str:
    return scratch.topology.queue_name("probe", ProbeHappened)


def dlq_of(scratch: Scratch) -> str:
    return scratch.topology.dead_letter_queue(queue_of(scratch))


async def depth_is(scratch: Scratch, queue: str, n: int) -> bool:
    return await queue_depth(scratch.channel, queue) == n


async def dead_letter(scratch: Scratch, count: int) -> list[str]:
    """``count`` events that a broken handler dead-lettered, in publishing order."""
    ids = []
    async with scratch.consumer(Switch()):
        for i in range(count):
            event_id, body = envelope(i)
            await publish(scratch, body, event_id)
            ids.append(event_id)
        await wait_until(lambda: depth_is(scratch, dlq_of(scratch), count))
    return ids


def counted(scratch: Scratch, outcome: str) -> float:
    labels = {"consumer": "probe.on_probe_happened", "outcome": outcome}
    return scratch.container.metrics.registry.get_sample_value("messages_handled_total", labels) or 0.0


async def test_a_failed_event_is_dead_lettered_saying_why_without_personal_data(scratch: Scratch) -> None:
    canary = f"maija-{uuid.uuid4().hex[:6]}@example.fi"

    async def violates_a_constraint(uow: UnitOfWork, event: ProbeHappened, meta: EventMeta) -> None:
        row = insert(effect).values(event_id=meta.event_id, applied=1, note=canary)
        await uow.session.execute(row)
        await uow.session.execute(row)  # the same key again: IntegrityError, the canary in its parameters

    event_id, body = envelope()
    async with scratch.consumer(violates_a_constraint):
        await publish(scratch, body, event_id)
        await wait_until(lambda: depth_is(scratch, dlq_of(scratch), 1))
    queue = await scratch.channel.get_queue(dlq_of(scratch), ensure=False)
    message = await queue.get(no_ack=True, timeout=5)
    headers = message.headers
    assert message.body == body and message.message_id == event_id  # the message itself, unchanged
    assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    error = str(headers["x-error"])
    assert "IntegrityError" in error and "sqlstate=23505" in error and canary not in error
    assert headers["x-dead-lettered-from"] == queue_of(scratch) and headers["x-deliveries"] == 1
    assert str(headers["x-failed-at"]).startswith("20") and "x-death" not in headers  # ours, not the broker's
    assert await queue_depth(scratch.channel, queue_of(scratch)) == 0


async def test_listing_shows_type_id_and_error_and_leaves_the_dead_letter_queue_as_it_was(scratch: Scratch) -> None:
    ids = await dead_letter(scratch, 3)
    url = scratch.settings.amqp_url
    total, first = await dead_letters.list_dead_letters(url, dlq_of(scratch))
    total_again, second = await dead_letters.list_dead_letters(url, dlq_of(scratch))
    assert total == total_again == 3 and await queue_depth(scratch.channel, dlq_of(scratch)) == 3
    assert sorted(d.event_id for d in first) == sorted(ids) == sorted(d.event_id for d in second)
    letter = first[0]
    assert letter.type == "ProbeHappened" and letter.deliveries == 1 and letter.failed_at is not None
    assert letter.error == "builtins.RuntimeError: the handler is broken" and not letter.by_broker
    assert letter.source == queue_of(scratch) and letter.correlation_id is not None
    _, limited = await dead_letters.list_dead_letters(url, dlq_of(scratch), limit=2)
    assert len(limited) == 2
    remaining = await drain(scratch.channel, dlq_of(scratch), expect=3)
    assert sorted(b["event_id"] for b in remaining) == sorted(ids)  # every one still there, whole


async def test_replay_after_the_fix_applies_each_event_once_and_empties_the_dead_letter_queue(scratch: Scratch) -> None:
    ids = await dead_letter(scratch, 3)
    handler = Switch()
    handler.broken = False
    async with scratch.consumer(handler):
        # One more event, handled at once; a stray copy of it also sits in the DLQ (a crash between the
        # dead-letter copy's confirm and the original's ack leaves one): the replay brings it again.
        applied_id, body = envelope(99)
        await publish(scratch, body, applied_id)
        await wait_until(lambda: _applied(scratch, applied_id))
        await scratch.channel.default_exchange.publish(
            aio_pika.Message(body, message_id=applied_id, headers={"x-error": "x", "x-deliveries": 1}),
            routing_key=dlq_of(scratch),
        )
        outcome = await dead_letters.replay(scratch.settings.amqp_url, dlq_of(scratch), queue_of(scratch))
        assert (outcome.settled, outcome.looked_at, outcome.left, outcome.failed) == (4, 4, 0, 0)
        await wait_until(lambda: _at_least(scratch, "duplicate", 1))
        await wait_until(lambda: _all_applied(scratch, [*ids, applied_id]))
        await asyncio.sleep(0.3)
    assert await scratch.effects() == {uuid.UUID(i): 1 for i in [*ids, applied_id]}  # each exactly once
    assert counted(scratch, "processed") == 4 and counted(scratch, "duplicate") == 1
    assert await queue_depth(scratch.channel, dlq_of(scratch)) == 0


async def test_replay_of_chosen_ids_moves_only_those(scratch: Scratch) -> None:
    ids = await dead_letter(scratch, 3)
    missing = str(uuid.uuid4())
    handler = Switch()
    handler.broken = False
    async with scratch.consumer(handler):
        outcome = await dead_letters.replay(
            scratch.settings.amqp_url, dlq_of(scratch), queue_of(scratch), [ids[1], missing]
        )
        await wait_until(lambda: _applied(scratch, ids[1]))
        await asyncio.sleep(0.3)
    assert (outcome.settled, outcome.left, outcome.not_found) == (1, 2, [missing])
    assert await scratch.effects() == {uuid.UUID(ids[1]): 1}
    _, left = await dead_letters.list_dead_letters(scratch.settings.amqp_url, dlq_of(scratch))
    assert sorted(d.event_id for d in left) == sorted([ids[0], ids[2]])


async def test_a_replay_the_broker_cannot_route_loses_nothing(scratch: Scratch) -> None:
    ids = await dead_letter(scratch, 2)
    nowhere = f"{scratch.topology.namespace}.no_such_queue"
    outcome = await dead_letters.replay(scratch.settings.amqp_url, dlq_of(scratch), nowhere)
    assert (outcome.settled, outcome.failed, outcome.left) == (0, 2, 2)
    assert outcome.errors[0] == f"returned by the broker: NO_ROUTE for {nowhere}"
    _, left = await dead_letters.list_dead_letters(scratch.settings.amqp_url, dlq_of(scratch))
    assert sorted(d.event_id for d in left) == sorted(ids) and all(d.replays == 0 for d in left)


async def test_a_replayed_event_that_fails_again_is_dead_lettered_again_and_counts_its_replays(
    scratch: Scratch,
) -> None:
    [event_id] = await dead_letter(scratch, 1)
    async with scratch.consumer(Switch()):  # still broken
        await dead_letters.replay(scratch.settings.amqp_url, dlq_of(scratch), queue_of(scratch))
        await wait_until(lambda: _first_replayed(scratch))
    _, [letter] = await dead_letters.list_dead_letters(scratch.settings.amqp_url, dlq_of(scratch))
    assert letter.event_id == event_id and letter.replays == 1 and letter.deliveries == 1


async def test_discard_removes_the_chosen_one_and_logs_the_reason(scratch: Scratch) -> None:
    ids = await dead_letter(scratch, 2)
    with capture_logs() as logs:
        outcome = await dead_letters.discard(
            scratch.settings.amqp_url, dlq_of(scratch), [ids[0]], "test event, nobody needs it"
        )
    assert (outcome.settled, outcome.left, outcome.not_found) == (1, 1, [])
    [line] = [e for e in logs if e["event"] == "dead_letter_discarded"]
    assert line["queue"] == dlq_of(scratch) and line["event_id"] == ids[0]
    assert line["reason"] == "test event, nobody needs it"
    _, left = await dead_letters.list_dead_letters(scratch.settings.amqp_url, dlq_of(scratch))
    assert [d.event_id for d in left] == [ids[1]]
    with pytest.raises(ValueError):
        await dead_letters.discard(scratch.settings.amqp_url, dlq_of(scratch), [ids[1]], " ")


async def broker_dead_letter(scratch: Scratch) -> str:
    """An event the broker itself dead-lettered after its delivery limit, as for a consumer dying on it."""
    await declare_container_subscriptions(scratch.container, [Subscription(ProbeHappened, apply_effect)])
    event_id, body = envelope()
    await publish(scratch, body, event_id)
    queue = await scratch.channel.get_queue(queue_of(scratch), ensure=False)
    for _ in range(scratch.settings.delivery_limit + 1):
        message = await queue.get(no_ack=False, timeout=5)
        await message.reject(requeue=True)  # a lost channel returns it the same way
    await wait_until(lambda: depth_is(scratch, dlq_of(scratch), 1))
    return event_id


async def test_an_event_the_broker_dead_lettered_is_listed_and_replayed_too(scratch: Scratch) -> None:
    event_id = await broker_dead_letter(scratch)
    _, [letter] = await dead_letters.list_dead_letters(scratch.settings.amqp_url, dlq_of(scratch))
    assert letter.event_id == event_id and letter.type == "ProbeHappened"
    assert letter.error == "broker: delivery_limit" and letter.by_broker
    assert letter.source == queue_of(scratch) and letter.failed_at is not None
    async with scratch.consumer():
        outcome = await dead_letters.replay(scratch.settings.amqp_url, dlq_of(scratch), queue_of(scratch))
        await wait_until(lambda: _applied(scratch, event_id))
    assert outcome.settled == 1 and await scratch.effects() == {uuid.UUID(event_id): 1}


async def test_parked_events_are_handed_to_a_consumer_that_now_exists(scratch: Scratch) -> None:
    await scratch.tap("warmup")  # the exchanges, and a queue for another event only
    await scratch.channel.queue_delete(f"{scratch.topology.namespace}.warmup")
    ids = [str(i) for i in await scratch.emit(2)]
    async with scratch.running_relay():
        await wait_until(lambda: depth_is(scratch, scratch.topology.unrouted, 2))
    async with scratch.consumer():
        outcome = await dead_letters.replay_parked(
            scratch.settings.amqp_url, scratch.topology.unrouted, scratch.topology.events_exchange
        )
        await wait_until(lambda: _all_applied(scratch, ids))
    assert outcome.settled == 2 and await queue_depth(scratch.channel, scratch.topology.unrouted) == 0


async def test_the_relay_sets_the_outbox_backlog_gauges(scratch: Scratch) -> None:
    await scratch.emit(5)
    await asyncio.sleep(0.3)
    relay = scratch.relay(batch_size=2, backlog_seconds=0)
    await relay.start_pool()
    try:
        assert await relay.relay_once() == 2
        registry = relay.metrics.registry
        assert registry.get_sample_value("outbox_pending") == 3
        assert (registry.get_sample_value("outbox_lag_seconds") or 0) >= 0.3
        while await relay.relay_once():
            pass
        assert registry.get_sample_value("outbox_pending") == 0
        assert registry.get_sample_value("outbox_lag_seconds") == 0
    finally:
        await relay.close()


async def test_the_backlog_gauge_counts_up_to_its_limit_and_shows_on_the_metrics_page(scratch: Scratch) -> None:
    await scratch.emit(5)
    relay = scratch.relay(batch_size=1, backlog_seconds=0, backlog_count_limit=3)
    await relay.start_pool()
    try:
        await relay.relay_once()  # 4 wait: counted as "at least 3"
        assert relay.metrics.registry.get_sample_value("outbox_pending") == 3
        await relay.relay_once()
        await relay.relay_once()  # 2 wait: below the limit, the exact count
        assert "\noutbox_pending 2.0\n" in generate_latest(relay.metrics.registry).decode()
    finally:
        await relay.close()
    assert (await outbox_backlog(scratch.url)).pending == 2  # operators' view counts every row


async def test_the_worker_counts_its_dead_letters_and_warns_while_they_wait(scratch: Scratch) -> None:
    ids = await dead_letter(scratch, 2)
    watch = QueueWatch.dead_letters(scratch.container, [Subscription(ProbeHappened, apply_effect)])
    label = {"queue": "probe.on_probe_happened.dlq"}
    try:
        with capture_logs() as logs:
            assert await watch.check() == {dlq_of(scratch): 2}
            await watch.check()  # unchanged: no second warning yet
        assert scratch.container.metrics.registry.get_sample_value("dead_letter_messages", label) == 2
        assert [(e["event"], e["count"]) for e in logs if e["log_level"] == "warning"] == [("dead_letters_waiting", 2)]
        await dead_letters.discard(scratch.settings.amqp_url, dlq_of(scratch), ids, "reviewed")
        with capture_logs() as logs:
            await watch.check()
        assert [e["event"] for e in logs] == ["dead_letters_cleared"]
        assert scratch.container.metrics.registry.get_sample_value("dead_letter_messages", label) == 0
    finally:
        await watch.inspector.close()


async def _applied(scratch: Scratch, event_id: str) -> bool:
    return uuid.UUID(event_id) in await scratch.effects()


async def _all_applied(scratch: Scratch, ids: list[str]) -> bool:
    return {uuid.UUID(i) for i in ids} <= (await scratch.effects()).keys()


async def _at_least(scratch: Scratch, outcome: str, n: int) -> bool:
    return counted(scratch, outcome) >= n


async def _first_replayed(scratch: Scratch) -> bool:
    _, letters = await dead_letters.list_dead_letters(scratch.settings.amqp_url, dlq_of(scratch))
    return any(d.replays for d in letters)

"""Consumers on real RabbitMQ: the inbox drops redeliveries; poison ends in the dead-letter queue."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import aio_pika

from shared.contracts.envelope import Envelope
from shared.db.uow import UnitOfWork
from shared.messaging.consumer import EventMeta
from shared.testing.broker import drain, queue_depth

from .conftest import ProbeHappened, Scratch, apply_effect, wait_until


async def publish(scratch: Scratch, body: bytes, routing_key: str = ProbeHappened.routing_key()) -> None:
    exchange = await scratch.channel.get_exchange(scratch.topology.events_exchange)
    await exchange.publish(aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key)


def envelope_bytes() -> tuple[uuid.UUID, bytes]:
    envelope = Envelope.wrap(ProbeHappened(n=1), correlation_id="c-1")
    return envelope.event_id, envelope.model_dump_json().encode()


def queue_of(scratch: Scratch) -> str:
    return scratch.topology.queue_name("probe", ProbeHappened)


async def test_a_redelivered_event_has_no_second_effect(scratch: Scratch) -> None:
    event_id, body = envelope_bytes()
    async with scratch.consumer() as (_, metrics):
        await publish(scratch, body)
        await publish(scratch, body)  # the same event again, as a redelivery would bring it
        await wait_until(lambda: _at_least(metrics, "duplicate", 1))
    assert await scratch.effects() == {event_id: 1}
    assert _count(metrics, "processed") == 1


async def test_a_failing_handler_is_retried_with_back_off_then_dead_lettered(scratch: Scratch) -> None:
    attempts = 0

    async def broken(uow: UnitOfWork, event: ProbeHappened, meta: EventMeta) -> None:
        nonlocal attempts
        attempts += 1
        await apply_effect(uow, event, meta)  # written, then rolled back by the failure below
        raise RuntimeError("handler bug")

    event_id, body = envelope_bytes()
    dlq = scratch.topology.dead_letter_queue(queue_of(scratch))
    async with scratch.consumer(broken):
        await publish(scratch, body)
        await wait_until(lambda: _depth_is(scratch, dlq, 1))
        await asyncio.sleep(0.5)  # no further attempts once dead-lettered
    # The first try and one per back-off delay, all on one delivery: no redelivery was spent.
    assert attempts == len(scratch.settings.handler_retry_delays_seconds) + 1
    assert scratch.container.metrics.registry.get_sample_value(
        "handler_retries_total", {"consumer": "probe.on_probe_happened"}
    ) == len(scratch.settings.handler_retry_delays_seconds)
    assert await queue_depth(scratch.channel, queue_of(scratch)) == 0
    assert await scratch.effects() == {}  # every failed attempt rolled back, inbox row included
    [dead] = await drain(scratch.channel, dlq, expect=1)
    assert dead["event_id"] == str(event_id)  # kept whole, ready to be inspected and replayed


async def test_a_message_that_is_not_an_envelope_goes_straight_to_the_dead_letter_queue(scratch: Scratch) -> None:
    attempts = 0

    async def never(uow: UnitOfWork, event: ProbeHappened, meta: EventMeta) -> None:
        nonlocal attempts
        attempts += 1

    dlq = scratch.topology.dead_letter_queue(queue_of(scratch))
    async with scratch.consumer(never) as (_, metrics):
        await publish(scratch, json.dumps({"hello": "world"}).encode())
        await wait_until(lambda: _depth_is(scratch, dlq, 1))
    assert attempts == 0 and _count(metrics, "invalid") == 1


async def test_an_event_no_queue_is_bound_for_is_parked_not_dropped(scratch: Scratch) -> None:
    await scratch.tap()  # declares the exchanges; binds only the probe's routing key
    _, body = envelope_bytes()
    parked_before = await queue_depth(scratch.channel, scratch.topology.unrouted)
    await publish(scratch, body, routing_key="probe.NobodyListens.v1")
    await wait_until(lambda: _depth_is(scratch, scratch.topology.unrouted, parked_before + 1))


def _count(metrics: Any, outcome: str) -> float:
    labels = {"consumer": "probe.on_probe_happened", "outcome": outcome}
    return float(metrics.registry.get_sample_value("messages_handled_total", labels) or 0.0)


async def _at_least(metrics: Any, outcome: str, n: int) -> bool:
    return _count(metrics, outcome) >= n


async def _depth_is(scratch: Scratch, queue: str, n: int) -> bool:
    return await queue_depth(scratch.channel, queue) == n


async def test_a_handler_emits_through_the_unit_of_work_in_the_inbox_transaction(scratch: Scratch) -> None:
    """What a handler emits reaches the outbox only with its inbox row: a failed attempt leaves neither."""
    attempts = 0

    async def emit_then_fail_once(uow: UnitOfWork, event: ProbeHappened, meta: EventMeta) -> None:
        nonlocal attempts
        attempts += 1
        async with uow:
            uow.emit(ProbeHappened(n=event.n + 100))
            await uow.commit()  # joined: the consumer commits
        if attempts == 1:
            raise RuntimeError("first attempt fails after emitting")

    _, body = envelope_bytes()
    async with scratch.consumer(emit_then_fail_once) as (_, metrics):
        await publish(scratch, body)
        await wait_until(lambda: _at_least(metrics, "processed", 1))
    assert attempts == 2
    assert await scratch.unpublished() == 1  # one event from the successful attempt, none from the failed one


async def test_a_body_that_is_not_json_though_labelled_so_is_dead_lettered_and_the_consumer_goes_on(
    scratch: Scratch,
) -> None:
    dlq = scratch.topology.dead_letter_queue(queue_of(scratch))
    event_id, body = envelope_bytes()
    async with scratch.consumer() as (_, metrics):
        exchange = await scratch.channel.get_exchange(scratch.topology.events_exchange)
        for garbage in [b"{not json", b"\xff\xfe\x00", b""] * 5:  # more than the prefetch window
            message = aio_pika.Message(garbage, content_type="application/json", delivery_mode=2)
            await exchange.publish(message, ProbeHappened.routing_key())
        await publish(scratch, body)  # a real event behind them
        await wait_until(lambda: _applied(scratch, event_id))
        await wait_until(lambda: _depth_is(scratch, dlq, 15))
    assert _count(metrics, "invalid") == 15


async def _applied(scratch: Scratch, event_id: uuid.UUID) -> bool:
    return event_id in await scratch.effects()

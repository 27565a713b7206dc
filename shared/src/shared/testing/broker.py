"""RabbitMQ helpers for tests: run a service's consumers and publish to them as the relay does, read what
arrived on a queue, and remove a test run's names afterwards."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange

from shared.contracts.envelope import Envelope, EventData
from shared.messaging.consumer import Subscription, build_broker, declare_container_subscriptions, subscribe

if TYPE_CHECKING:
    from shared.container import Container


@asynccontextmanager
async def running_consumers(
    container: Container[Any, Any], subscriptions: Sequence[Subscription[Any]]
) -> AsyncIterator[AbstractExchange]:
    """The service's worker consumers (its real subscriptions and queues on the real broker, under the
    container's names) while the block runs; yields the events exchange to publish on."""
    await declare_container_subscriptions(container, subscriptions)
    broker = build_broker(container.settings)
    for sub in subscriptions:
        subscribe(broker, container, sub)
    await broker.start()
    connection = await aio_pika.connect(container.settings.amqp_url)
    try:
        channel = await connection.channel()
        yield await channel.get_exchange(container.topology.events_exchange)
    finally:
        await connection.close()
        await broker.stop()


async def publish_event(
    exchange: AbstractExchange, data: EventData | Envelope[Any], *, occurred_at: datetime | None = None
) -> Envelope[Any]:
    """One persistent message as the relay sends it (``message_id`` = event id); an envelope passed again is a
    redelivery of the same event. ``occurred_at`` dates a new envelope (for out-of-order tests)."""
    envelope = data if isinstance(data, Envelope) else Envelope.wrap(data)
    if occurred_at is not None:
        envelope = envelope.model_copy(update={"occurred_at": occurred_at})
    message = aio_pika.Message(
        envelope.model_dump_json().encode(),
        message_id=str(envelope.event_id),
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
    )
    await exchange.publish(message, envelope.data.routing_key())
    return envelope


async def drain(channel: AbstractChannel, queue: str, *, expect: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    """Take messages from ``queue`` until ``expect`` arrived or nothing more came for ``timeout`` seconds."""
    q = await channel.get_queue(queue, ensure=False)
    bodies: list[dict[str, Any]] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while len(bodies) < expect and asyncio.get_running_loop().time() < deadline:
        message = await q.get(no_ack=True, fail=False)
        if message is None:
            await asyncio.sleep(0.05)
            continue
        bodies.append(json.loads(message.body))
    return bodies


async def queue_depth(channel: AbstractChannel, queue: str) -> int:
    declared = await channel.declare_queue(queue, passive=True)
    return declared.declaration_result.message_count or 0


async def delete_namespace(amqp_url: str, namespace: str) -> None:
    """Delete the queues and exchanges named ``<namespace>.*`` (needs rabbitmqctl; else leaves them)."""
    if not namespace or shutil.which("rabbitmqctl") is None:
        return

    def names(kind: str) -> list[str]:
        out = subprocess.run(
            ["rabbitmqctl", "-q", f"list_{kind}", "name"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
        return [n.strip() for n in out.splitlines() if n.strip().startswith(f"{namespace}.")]

    queues, exchanges = await asyncio.to_thread(names, "queues"), await asyncio.to_thread(names, "exchanges")
    connection = await aio_pika.connect(amqp_url, timeout=30)
    async with connection:
        channel = await connection.channel()
        for queue in queues:
            await channel.queue_delete(queue)
        for exchange in exchanges:
            await channel.exchange_delete(exchange)

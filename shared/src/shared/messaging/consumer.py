"""Idempotent consumers on faststream: one quorum queue per handler, an inbox row per processed event.

A handler is ``async def on_x(session, envelope) -> None``. It runs inside a transaction that first records
``(consumer, event_id)`` in the inbox: a redelivered event finds its row and has no second effect. The
message is acknowledged only after that transaction commits. A handler that raises is negatively
acknowledged and redelivered; after the queue's delivery limit the broker dead-letters it into
``<queue>.dlq``. A message that is not a valid envelope is rejected straight into the dead-letter queue.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aio_pika
import structlog
from faststream import AckPolicy
from faststream.rabbit import Channel, ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from pydantic import ValidationError
from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.config import ServiceSettings
from shared.contracts.envelope import Envelope, EventData
from shared.messaging.tables import inbox_table
from shared.messaging.topology import Topology, declare_consumer_queue
from shared.observability.logging import get_logger
from shared.observability.metrics import Metrics

log = get_logger(__name__)

Handler = Callable[[AsyncSession, Envelope[Any]], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    consumer: str  # the consuming service, e.g. "grants"
    contract: type[EventData]
    handler: Handler


def topology_of(settings: ServiceSettings) -> Topology:
    return Topology(namespace=settings.namespace, delivery_limit=settings.delivery_limit)


def build_broker(settings: ServiceSettings) -> RabbitBroker:
    return RabbitBroker(
        settings.amqp_url,
        default_channel=Channel(prefetch_count=settings.prefetch_count, publisher_confirms=True, on_return_raises=True),
        graceful_timeout=settings.graceful_timeout_seconds,
        ack_policy=AckPolicy.MANUAL,
        logger=structlog.get_logger("faststream"),
        log_level=logging.DEBUG,  # faststream's two lines per message; ours (event_handled) stays at INFO
    )


async def declare_subscriptions(amqp_url: str, topology: Topology, subscriptions: Sequence[Subscription]) -> None:
    """Declare every queue with its dead-letter queue before consuming (one place declares topology)."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for sub in subscriptions:
            queue = topology.queue_name(sub.consumer, sub.contract)
            await declare_consumer_queue(channel, topology, queue, sub.contract.routing_key())


def subscribe(
    broker: RabbitBroker,
    topology: Topology,
    sessionmaker: async_sessionmaker[AsyncSession],
    sub: Subscription,
    metrics: Metrics,
) -> None:
    queue_name = topology.queue_name(sub.consumer, sub.contract)
    consumer_key = queue_name.removeprefix(f"{topology.namespace}.") if topology.namespace else queue_name
    model: type[Envelope[Any]] = Envelope[sub.contract]  # type: ignore[name-defined]
    inbox = inbox_table()
    # Built once: a redelivered event finds its row and is skipped.
    record_in_inbox = (
        insert(inbox)
        .values(consumer=bindparam("consumer"), event_id=bindparam("event_id"))
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    outcomes = {
        o: metrics.messages_handled.labels(consumer_key, o) for o in ("processed", "duplicate", "failed", "invalid")
    }
    queue = RabbitQueue(  # type: ignore[call-overload]  # our arguments are a plain dict, not its TypedDict
        queue_name,
        queue_type=QueueType.QUORUM,
        durable=True,
        declare=False,
        arguments=topology.consumer_queue_arguments(queue_name),
        routing_key=sub.contract.routing_key(),
    )
    exchange = RabbitExchange(
        topology.events_exchange,
        type=ExchangeType.TOPIC,
        declare=False,
        arguments=topology.events_exchange_arguments(),
    )

    async def handle(message: RabbitMessage) -> None:
        try:
            envelope = model.model_validate_json(message.body)
        except ValidationError as exc:
            log.error(
                "event_rejected_invalid", consumer=consumer_key, message_id=message.message_id, errors=exc.error_count()
            )
            outcomes["invalid"].inc()
            await message.reject()
            return
        with structlog.contextvars.bound_contextvars(
            consumer=consumer_key, event_id=str(envelope.event_id), correlation_id=envelope.correlation_id
        ):
            try:
                async with sessionmaker() as session, session.begin():
                    first = await session.execute(
                        record_in_inbox, {"consumer": consumer_key, "event_id": envelope.event_id}
                    )
                    duplicate = first.first() is None
                    if not duplicate:
                        await sub.handler(session, envelope)
            except Exception:
                log.exception("event_handler_failed")
                outcomes["failed"].inc()
                await message.nack(requeue=True)
                return
            await message.ack()
            outcome = "duplicate" if duplicate else "processed"
            outcomes[outcome].inc()
            log.info("event_handled", outcome=outcome, type=envelope.type)

    handle.__name__ = f"on_{sub.contract.event_type}"
    broker.subscriber(queue, exchange, ack_policy=AckPolicy.MANUAL, title=queue_name)(handle)

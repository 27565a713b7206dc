"""Idempotent consumers on faststream: one quorum queue per handler, an inbox row per processed event.

A subscription pairs a contract with a handler ``async def on_x(uow, event: D, meta: EventMeta) -> None``
(in the service's ``entrypoints/messaging/subscribers.py``) that maps the event to a use case. The consumer
enters the service's unit of work, records ``(consumer, event_id)`` in its inbox, and runs the handler in that
same transaction: the use case joins it, so its state change, the events it emits (``uow.emit``, through the
outbox) and the inbox row commit together, and a redelivered event finds its row and has no second effect.
The message is acknowledged only after that commit. Events are handled in batches, each handler in its own
savepoint of one transaction (``shared.messaging.batch``, ADR 0010). What happens on failure is
``shared.messaging.retry``'s policy: an outage of the database pauses the consumer (no delivery attempt
spent), a handler's own failure is
retried with back-off for about a minute and then dead-lettered into ``<queue>.dlq``. A message that is not a
valid envelope (not JSON, whatever its content type; not the contract) is dead-lettered at once.

Dead-lettering (:func:`dead_letter`) publishes the message — its body and properties — through the
dead-letter exchange with routing key = the queue (as the queue's own dead-lettering would), persistent and
confirmed, with headers saying what failed (``x-error``: the exception's type and safe message, never personal
data), when (``x-failed-at``), where (``x-dead-lettered-from``) and after how many deliveries
(``x-deliveries``); only then is the original acknowledged. Should that publish fail, the message is rejected
and the queue's own dead-lettering takes it (with RabbitMQ's ``x-death`` header, as after ``x-delivery-limit``).

The consumer's name is the service's (``settings.service_name``); queue names come from the topology.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import aio_pika
import structlog
from aio_pika.abc import AbstractIncomingMessage
from faststream import AckPolicy
from faststream.rabbit import Channel, RabbitBroker

from shared.config import ServiceSettings
from shared.contracts.envelope import Envelope, EventData
from shared.messaging.batch import BatchConsumer
from shared.messaging.topology import Topology, declare_consumer_queue, declare_events_exchange
from shared.observability.logging import get_logger
from shared.observability.redaction import safe_message

if TYPE_CHECKING:  # the container imports the messaging modules
    from shared.container import Container

log = get_logger(__name__)

D = TypeVar("D", bound=EventData)


@dataclass(frozen=True)
class EventMeta:
    """What the envelope says about an event besides its data."""

    event_id: uuid.UUID
    type: str
    version: int
    occurred_at: datetime
    producer: str
    correlation_id: str | None

    @classmethod
    def of(cls, envelope: Envelope[Any]) -> EventMeta:
        return cls(
            envelope.event_id, envelope.type, envelope.version, envelope.occurred_at, envelope.producer,
            envelope.correlation_id,
        )  # fmt: skip


@dataclass(frozen=True)
class Subscription(Generic[D]):
    """``Subscription(AssociationRegistered, on_association_registered)``; the handler gets the service's uow."""

    contract: type[D]
    handler: Callable[[Any, D, EventMeta], Awaitable[None]]


class Broker(RabbitBroker):
    """faststream's broker, which also starts and stops the kit's batching consumers (``subscribe``)."""

    def __init__(self, amqp_url: str, *args: Any, consumers_name: str = "consumers", **kwargs: Any) -> None:
        super().__init__(amqp_url, *args, **kwargs)
        self.amqp_url, self.consumers_name = amqp_url, consumers_name  # the consumers' connection, as operators see it
        self.batch_consumers: list[BatchConsumer] = []
        self._graceful = float(kwargs.get("graceful_timeout") or 30.0)
        self._consuming: aio_pika.abc.AbstractRobustConnection | None = None

    async def start(self) -> None:
        await super().start()
        if self.batch_consumers:  # one connection for all of them, a channel each
            self._consuming = await aio_pika.connect_robust(
                self.amqp_url, client_properties={"connection_name": self.consumers_name}
            )
            for consumer in self.batch_consumers:
                await consumer.start(self._consuming)

    async def stop(self, *args: Any, **kwargs: Any) -> None:
        await asyncio.gather(*(c.stop(self._graceful) for c in self.batch_consumers))
        if self._consuming is not None:
            with contextlib.suppress(Exception):
                await self._consuming.close()
            self._consuming = None
        await super().stop(*args, **kwargs)


def build_broker(settings: ServiceSettings) -> RabbitBroker:
    namespace = f" ({settings.namespace})" if settings.namespace else ""
    return Broker(
        settings.amqp_url,
        consumers_name=f"{settings.service_name} consumers{namespace}",
        default_channel=Channel(prefetch_count=settings.prefetch_count, publisher_confirms=True, on_return_raises=True),
        graceful_timeout=settings.graceful_timeout_seconds,
        ack_policy=AckPolicy.MANUAL,
        logger=structlog.get_logger("faststream"),
        log_level=logging.DEBUG,
    )


def queue_of(container: Container[Any, Any], sub: Subscription[Any]) -> str:
    return container.topology.queue_name(container.settings.service_name, sub.contract)


async def declare_subscriptions(
    amqp_url: str, topology: Topology, queues: Sequence[tuple[str, type[EventData]]]
) -> None:
    """Declare the events exchange, and every ``(queue, contract)`` with its dead-letter queue before consuming."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        events = await declare_events_exchange(channel, topology)
        for queue, contract in queues:
            await declare_consumer_queue(channel, topology, queue, contract.routing_key(), events)


async def declare_container_subscriptions(container: Container[Any, Any], subs: Sequence[Subscription[Any]]) -> None:
    await declare_subscriptions(
        container.settings.amqp_url, container.topology, [(queue_of(container, s), s.contract) for s in subs]
    )


def subscribe(broker: RabbitBroker, container: Container[Any, Any], sub: Subscription[Any]) -> None:
    """Consume ``sub``'s queue with the batching consumer (``shared.messaging.batch``) while the broker runs."""
    if not isinstance(broker, Broker):
        raise TypeError("subscribe() needs the broker of build_broker()")
    broker.batch_consumers.append(BatchConsumer(container, sub, queue_of(container, sub)))


# The headers a dead letter carries: ours (the consumer's), and RabbitMQ's own when the broker dead-lettered it.
ERROR_HEADER, FAILED_AT_HEADER, FROM_HEADER, DELIVERIES_HEADER = (
    "x-error", "x-failed-at", "x-dead-lettered-from", "x-deliveries"
)  # fmt: skip
FAILURE_HEADERS = frozenset(
    {
        ERROR_HEADER, FAILED_AT_HEADER, FROM_HEADER, DELIVERIES_HEADER,
        "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
        "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason", "x-delivery-count",
    }
)  # fmt: skip
MAX_ERROR_LENGTH = 500
DEAD_LETTER_TIMEOUT_SECONDS = 10.0


def copy_of(message: aio_pika.abc.AbstractMessage, headers: dict[str, Any]) -> aio_pika.Message:
    """The message with the same body and properties, persistent, with ``headers`` instead of its own.

    Not copied: ``expiration`` (a dead letter must not expire), ``user_id`` (the broker refuses one that is
    not the publishing connection's user) and ``reply_to``.
    """
    return aio_pika.Message(
        message.body,
        headers=headers,
        content_type=message.content_type,
        content_encoding=message.content_encoding,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        priority=message.priority,
        correlation_id=message.correlation_id,
        message_id=message.message_id,
        timestamp=message.timestamp,
        type=message.type,
        app_id=message.app_id,
    )


async def dead_letter(message: AbstractIncomingMessage, topology: Topology, queue: str, error: BaseException) -> None:
    """Put the message into ``<queue>.dlq`` saying why, then acknowledge it; nothing is lost if that fails."""
    raw = message
    own = dict(raw.headers or {})
    deliveries = own.get("x-delivery-count")
    headers = {k: v for k, v in own.items() if k not in FAILURE_HEADERS} | {
        ERROR_HEADER: safe_message(error)[:MAX_ERROR_LENGTH],
        FAILED_AT_HEADER: datetime.now(UTC).isoformat(timespec="milliseconds"),
        FROM_HEADER: queue,
        DELIVERIES_HEADER: (deliveries if isinstance(deliveries, int) else 0) + 1,
    }
    try:
        channel = raw.channel
        if not getattr(channel, "publisher_confirms", False):
            raise RuntimeError("the consumer's channel has no publisher confirms")
        await channel.basic_publish(
            raw.body,
            exchange=topology.dead_letter_exchange,
            routing_key=queue,
            properties=copy_of(raw, headers).properties,
            mandatory=True,  # no dead-letter queue bound: returned, and rejected below instead
            timeout=DEAD_LETTER_TIMEOUT_SECONDS,
        )
    except Exception as exc:  # the queue's own dead-lettering (x-death) takes it; or it is redelivered
        log.warning("dead_letter_publish_failed", error=type(exc).__name__)
        await message.reject(requeue=False)
        return
    await message.ack()
    log.info("event_dead_lettered", queue=queue, error=type(error).__name__)

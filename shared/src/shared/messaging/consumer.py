"""Idempotent consumers on faststream: one quorum queue per handler, an inbox row per processed event.

A subscription pairs a contract with a handler ``async def on_x(uow, event: D, meta: EventMeta) -> None``
(in the service's ``entrypoints/messaging/subscribers.py``) that maps the event to a use case. The consumer
enters the service's unit of work, records ``(consumer, event_id)`` in its inbox, and runs the handler in that
same transaction: the use case joins it, so its state change, the events it emits (``uow.emit``, through the
outbox) and the inbox row commit together, and a redelivered event finds its row and has no second effect.
The message is acknowledged only after that commit. What happens on failure is ``shared.messaging.retry``'s
policy: an outage of the database pauses the consumer (no delivery attempt spent), a handler's own failure is
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
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import aio_pika
import structlog
from faststream import AckPolicy
from faststream.message import StreamMessage
from faststream.rabbit import Channel, ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue
from faststream.rabbit.annotations import RabbitMessage
from pydantic import ValidationError
from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert

from shared.config import ServiceSettings
from shared.contracts.envelope import Envelope, EventData
from shared.db.failures import is_infrastructure_failure
from shared.messaging.retry import wait_for_database
from shared.messaging.tables import inbox_table
from shared.messaging.topology import Topology, declare_consumer_queue
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


def build_broker(settings: ServiceSettings) -> RabbitBroker:
    return RabbitBroker(
        settings.amqp_url,
        default_channel=Channel(prefetch_count=settings.prefetch_count, publisher_confirms=True, on_return_raises=True),
        graceful_timeout=settings.graceful_timeout_seconds,
        ack_policy=AckPolicy.MANUAL,
        logger=structlog.get_logger("faststream"),
        log_level=logging.DEBUG,  # faststream's two lines per message; ours (event_handled) stays at INFO
    )


def queue_of(container: Container[Any, Any], sub: Subscription[Any]) -> str:
    return container.topology.queue_name(container.settings.service_name, sub.contract)


async def declare_subscriptions(
    amqp_url: str, topology: Topology, queues: Sequence[tuple[str, type[EventData]]]
) -> None:
    """Declare every ``(queue, contract)`` with its dead-letter queue before consuming."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue, contract in queues:
            await declare_consumer_queue(channel, topology, queue, contract.routing_key())


async def declare_container_subscriptions(container: Container[Any, Any], subs: Sequence[Subscription[Any]]) -> None:
    await declare_subscriptions(
        container.settings.amqp_url, container.topology, [(queue_of(container, s), s.contract) for s in subs]
    )


def subscribe(broker: RabbitBroker, container: Container[Any, Any], sub: Subscription[Any]) -> None:
    topology = container.topology
    queue_name = queue_of(container, sub)
    consumer_key = topology.consumer_key(queue_name)
    model: type[Envelope[Any]] = Envelope[sub.contract]  # type: ignore[name-defined]
    inbox = inbox_table()
    # Built once: a redelivered event finds its row and is skipped.
    record_in_inbox = (
        insert(inbox)
        .values(consumer=bindparam("consumer"), event_id=bindparam("event_id"))
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    counter = container.metrics.messages_handled
    outcomes = {o: counter.labels(consumer_key, o) for o in ("processed", "duplicate", "failed", "invalid")}
    retried = container.metrics.handler_retries.labels(consumer_key)
    paused = container.metrics.consumer_paused.labels(consumer_key)
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
            await dead_letter(message, topology, queue_name, exc)
            return
        with structlog.contextvars.bound_contextvars(
            consumer=consumer_key, event_id=str(envelope.event_id), correlation_id=envelope.correlation_id
        ):
            retries = iter(container.settings.handler_retry_delays_seconds)
            while True:
                try:
                    duplicate = await process(envelope)
                except Exception as exc:
                    if is_infrastructure_failure(exc):  # not the event's fault: spend none of its attempts
                        log.warning("consumer_paused", reason=type(exc).__name__)
                        waited = await wait_for_database(container.engine)
                        paused.inc(waited)
                        log.info("consumer_resumed", waited_seconds=round(waited, 2))
                        continue
                    if (delay := next(retries, None)) is not None:
                        log.warning("event_handler_retrying", error=type(exc).__name__, delay_seconds=delay)
                        retried.inc()
                        await asyncio.sleep(delay)
                        continue
                    log.exception("event_handler_failed")
                    outcomes["failed"].inc()
                    await dead_letter(message, topology, queue_name, exc)
                    return
                break
            await message.ack()
            outcome = "duplicate" if duplicate else "processed"
            outcomes[outcome].inc()
            log.info("event_handled", outcome=outcome, type=envelope.type)

    async def process(envelope: Envelope[Any]) -> bool:
        """Handle the event once in one transaction with its inbox row; True when it was a duplicate."""
        async with container.uow() as uow:
            first = await uow.session.execute(
                record_in_inbox, {"consumer": consumer_key, "event_id": envelope.event_id}
            )
            duplicate = first.first() is None
            if not duplicate:
                await sub.handler(uow, envelope.data, EventMeta.of(envelope))
            await uow.commit()
        return duplicate

    handle.__name__ = f"on_{sub.contract.event_type}"
    broker.subscriber(queue, exchange, ack_policy=AckPolicy.MANUAL, decoder=_raw_body, title=queue_name)(handle)


async def _raw_body(message: StreamMessage[Any]) -> bytes:
    """Leave the body as bytes: faststream's own JSON decoding would fail *before* the handler can settle a
    message that is not JSON (it would stay unacknowledged for good); ``handle`` parses and rejects it."""
    return message.body


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


async def dead_letter(message: RabbitMessage, topology: Topology, queue: str, error: BaseException) -> None:
    """Put the message into ``<queue>.dlq`` saying why, then acknowledge it; nothing is lost if that fails."""
    raw = message.raw_message
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

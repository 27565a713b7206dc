"""Names and declarations of exchanges and queues; nothing relies on a default that drops messages.

- ``<ns>events``: the durable topic exchange every domain event goes to, routing key
  ``<producer>.<Event>.v<N>``. Its alternate exchange ``<ns>events.unrouted`` parks events that no queue is
  bound for yet, so an event published before its first consumer exists is kept, not dropped.
- One durable quorum queue per consumer handler, ``<ns><consumer>.on_<event>``, with a delivery limit;
  a message that fails that often is dead-lettered (at-least-once) through ``<ns>dead-letter`` into
  ``<queue>.dlq``, where operators inspect and replay it.
- **Retention**: the parking queue and every dead-letter queue are bounded (``x-max-length`` and
  ``x-max-length-bytes``, from settings) with ``x-overflow: reject-publish``: a full queue refuses what comes
  next instead of dropping its oldest. An event the parking queue refuses is nacked to the relay, whose row
  stays unpublished (``outbox_pending`` and ``outbox_lag_seconds`` grow); a dead letter the queue refuses stays
  in its consumer queue, held by at-least-once dead-lettering. The worker's and the relay's queue watch sets
  ``dead_letter_messages`` and ``unrouted_messages`` and logs a warning when a queue holds messages and again at
  80 % of its bound (``shared.runtime.QueueWatch``), well before anything is refused. No message TTL: age
  would drop. An operator empties them with ``pori-ops dead-letters replay|discard``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue

from shared.config import ServiceSettings
from shared.contracts.envelope import EventData


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Bound:
    """How much a parking or dead-letter queue may hold before it refuses more."""

    max_messages: int
    max_bytes: int

    def arguments(self) -> dict[str, Any]:
        return {
            "x-queue-type": "quorum",
            "x-max-length": self.max_messages,
            "x-max-length-bytes": self.max_bytes,
            "x-overflow": "reject-publish",
        }

    def nearly_full(self, messages: int) -> bool:
        return messages * 5 >= self.max_messages * 4


@dataclass(frozen=True)
class Topology:
    namespace: str = ""
    delivery_limit: int = 5
    dead_letter_bound: Bound = Bound(10_000, 64 * 2**20)
    unrouted_bound: Bound = Bound(100_000, 256 * 2**20)

    @classmethod
    def of(cls, settings: ServiceSettings) -> Topology:
        """The topology a service's settings describe; the container computes it once."""
        return cls(
            namespace=settings.namespace,
            delivery_limit=settings.delivery_limit,
            dead_letter_bound=Bound(settings.dead_letter_max_messages, settings.dead_letter_max_bytes),
            unrouted_bound=Bound(settings.unrouted_max_messages, settings.unrouted_max_bytes),
        )

    def _n(self, name: str) -> str:
        return f"{self.namespace}.{name}" if self.namespace else name

    def consumer_key(self, queue: str) -> str:
        """A queue's name without the namespace: the inbox's ``consumer`` column and the metrics label."""
        return queue.removeprefix(f"{self.namespace}.") if self.namespace else queue

    @property
    def events_exchange(self) -> str:
        return self._n("events")

    @property
    def unrouted(self) -> str:
        return self._n("events.unrouted")

    @property
    def dead_letter_exchange(self) -> str:
        return self._n("dead-letter")

    def queue_name(self, consumer: str, contract: type[EventData]) -> str:
        suffix = f"_v{contract.event_version}" if contract.event_version > 1 else ""
        return self._n(f"{consumer}.on_{snake(contract.event_type)}{suffix}")

    @staticmethod
    def dead_letter_queue(queue: str) -> str:
        return f"{queue}.dlq"

    def events_exchange_arguments(self) -> dict[str, Any]:
        return {"alternate-exchange": self.unrouted}

    def consumer_queue_arguments(self, queue: str) -> dict[str, Any]:
        return {
            "x-queue-type": "quorum",
            "x-delivery-limit": self.delivery_limit,
            "x-dead-letter-exchange": self.dead_letter_exchange,
            "x-dead-letter-routing-key": queue,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",  # required by at-least-once dead-lettering
        }


QUORUM: dict[str, Any] = {"x-queue-type": "quorum"}


async def declare_events_exchange(channel: AbstractChannel, topology: Topology) -> AbstractExchange:
    """The topic exchange with its alternate exchange and parking queue, and the dead-letter exchange."""
    unrouted = await channel.declare_exchange(topology.unrouted, aio_pika.ExchangeType.FANOUT, durable=True)
    parked = await channel.declare_queue(topology.unrouted, durable=True, arguments=topology.unrouted_bound.arguments())
    await parked.bind(unrouted)
    await channel.declare_exchange(topology.dead_letter_exchange, aio_pika.ExchangeType.DIRECT, durable=True)
    return await channel.declare_exchange(
        topology.events_exchange,
        aio_pika.ExchangeType.TOPIC,
        durable=True,
        arguments=topology.events_exchange_arguments(),
    )


async def declare_consumer_queue(
    channel: AbstractChannel, topology: Topology, queue: str, routing_key: str,
    events: AbstractExchange | None = None,
) -> AbstractQueue:  # fmt: skip
    """A consumer's quorum queue bound to its event, and its dead-letter queue; ``events``, the exchange when the
    caller declared it already (a service's many queues declare it once)."""
    events = events or await declare_events_exchange(channel, topology)
    dlx = await channel.get_exchange(topology.dead_letter_exchange)
    dlq_arguments = topology.dead_letter_bound.arguments()
    dlq = await channel.declare_queue(topology.dead_letter_queue(queue), durable=True, arguments=dlq_arguments)
    await dlq.bind(dlx, routing_key=queue)
    q = await channel.declare_queue(queue, durable=True, arguments=topology.consumer_queue_arguments(queue))
    await q.bind(events, routing_key=routing_key)
    return q

"""Dead letters: list them without losing any, replay them to their queue, discard them with a reason.

Every function walks the dead-letter queue on one channel, taking each message with manual acknowledgement and
holding it: a held message is not handed out again, so the walk sees each once, and whatever is not settled
goes back to the queue at the end (``basic.nack`` requeue, then closing the channel — or the broker's own
return of a lost channel's messages, should this process die). Nothing is taken that was not settled on
purpose: replayed messages are acknowledged in the DLQ only after the broker confirmed their copy.

A dead letter's description carries ids, type, counts and the error — never the event's ``data``. Works on
RabbitMQ 3.10 (no shovel, no management plugin).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue

from shared.messaging.consumer import (
    DELIVERIES_HEADER,
    ERROR_HEADER,
    FAILED_AT_HEADER,
    FAILURE_HEADERS,
    FROM_HEADER,
    copy_of,
)
from shared.observability.logging import get_logger

REPLAYS_HEADER = "x-replays"
PUBLISH_TIMEOUT_SECONDS = 10.0
Progress = Callable[[int, int], None]  # (messages looked at, messages in the queue at the start)


@dataclass(frozen=True)
class DeadLetter:
    """What an operator needs to decide about one dead letter; no personal data."""

    event_id: str  # the envelope's event_id; the message id when the body is not an envelope
    type: str
    correlation_id: str | None
    error: str  # the consumer's x-error, or "broker: <reason>" from RabbitMQ's x-death
    failed_at: datetime | None
    source: str | None  # the queue it was dead-lettered from
    deliveries: int | None  # deliveries from that queue, when known (the consumer counts; the broker does not)
    replays: int = 0

    @property
    def by_broker(self) -> bool:
        return self.error.startswith("broker:")

    @classmethod
    def of(cls, message: AbstractIncomingMessage) -> DeadLetter:
        headers: dict[str, Any] = dict(message.headers or {})
        envelope = _envelope_fields(message.body)
        event_id = str(envelope.get("event_id") or message.message_id or "-")
        kind = str(envelope.get("type") or message.type or "?")
        correlation = envelope.get("correlation_id") or message.correlation_id
        replays, counted = headers.get(REPLAYS_HEADER), headers.get(DELIVERIES_HEADER)
        error, failed_at, source, deliveries = "-", None, None, None
        if ERROR_HEADER in headers:  # dead-lettered by the consumer
            error, failed_at = _text(headers[ERROR_HEADER]), _when(headers.get(FAILED_AT_HEADER))
            source = _text(headers.get(FROM_HEADER)) or None
            deliveries = counted if isinstance(counted, int) else None
        elif (death := _first_death(headers)) is not None:  # by the broker (a delivery limit, a rejection)
            error, failed_at = f"broker: {_text(death.get('reason')) or 'dead-lettered'}", _when(death.get("time"))
            source = _text(death.get("queue")) or None
        return cls(
            event_id=event_id,
            type=kind,
            correlation_id=None if correlation is None else str(correlation),
            error=error,
            failed_at=failed_at,
            source=source,
            deliveries=deliveries,
            replays=replays if isinstance(replays, int) else 0,
        )


def _envelope_fields(body: bytes) -> dict[str, Any]:
    """The envelope's ids and type, if the body is one; its ``data`` is never kept."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    if not isinstance(parsed, dict):
        return {}
    return {k: parsed[k] for k in ("event_id", "type", "correlation_id") if isinstance(parsed.get(k), str)}


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return "" if value is None else str(value)


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(_text(value))
    except ValueError:
        return None


def _first_death(headers: dict[str, Any]) -> dict[str, Any] | None:
    """RabbitMQ's record of the first dead-lettering (``x-death`` lists the latest first)."""
    deaths = [d for d in headers.get("x-death") or [] if isinstance(d, dict)]
    if not deaths:
        return None
    first_queue, first_reason = _text(headers.get("x-first-death-queue")), _text(headers.get("x-first-death-reason"))
    for death in deaths:
        if _text(death.get("queue")) == first_queue and _text(death.get("reason")) == first_reason:
            return death
    return deaths[-1]


@dataclass
class Outcome:
    """What a replay or discard did: how many messages it settled, which chosen ids it did not find."""

    queue: str
    looked_at: int = 0
    settled: int = 0
    failed: int = 0  # chosen, but their copy was not confirmed: left in the dead-letter queue
    left: int = 0  # of the messages the queue held at the start, those still there
    not_found: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _Held:
    """One channel holding every message it took from ``queue`` until settled; the rest go back at the end."""

    def __init__(self, amqp_url: str, queue: str) -> None:
        self.amqp_url, self.queue_name = amqp_url, queue
        self.unsettled: dict[int, AbstractIncomingMessage] = {}
        self.total = self.settled = 0

    async def __aenter__(self) -> _Held:
        self.connection = await aio_pika.connect(self.amqp_url, timeout=10)
        try:
            self.channel: AbstractChannel = await self.connection.channel(
                publisher_confirms=True, on_return_raises=True
            )
            self.queue: AbstractQueue = await self.channel.declare_queue(self.queue_name, passive=True)
        except BaseException:
            await self.connection.close()
            raise
        self.total = self.queue.declaration_result.message_count or 0
        return self

    async def messages(self, limit: int | None = None) -> AsyncIterator[AbstractIncomingMessage]:
        """Each message once: those in the queue at the start, at most ``limit``."""
        bound = self.total if limit is None else min(self.total, limit)
        for _ in range(bound):
            message = await self.queue.get(no_ack=False, fail=False, timeout=10)
            if message is None:
                return
            assert message.delivery_tag is not None
            self.unsettled[message.delivery_tag] = message
            yield message

    async def ack(self, message: AbstractIncomingMessage) -> None:
        await message.ack()
        assert message.delivery_tag is not None
        self.unsettled.pop(message.delivery_tag, None)
        self.settled += 1

    async def __aexit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        try:
            if self.unsettled and exc_type is None and not self.channel.is_closed:
                await self.unsettled[max(self.unsettled)].nack(multiple=True, requeue=True)
            if not self.channel.is_closed:
                await self.channel.close()  # after the acks and the nack: the broker has them all
            if exc_type is None:
                await self._until_returned()
        finally:
            await self.connection.close()

    async def _until_returned(self, timeout: float = 5.0) -> None:
        """Wait until the queue counts the returned messages again: a quorum queue applies returns a moment after
        the channel closed, and the next command (or a depth alert) should not see them missing."""
        expected = self.total - self.settled
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        channel = await self.connection.channel(publisher_confirms=False)
        while True:
            queue = await channel.declare_queue(self.queue_name, passive=True)
            if (queue.declaration_result.message_count or 0) >= expected or loop.time() > deadline:
                return
            await asyncio.sleep(0.05)


async def list_dead_letters(amqp_url: str, dlq: str, *, limit: int = 1000) -> tuple[int, list[DeadLetter]]:
    """``(messages in the queue, descriptions of the first `limit`)``; the queue is left as it was."""
    async with _Held(amqp_url, dlq) as held:
        total = held.total
        letters = [DeadLetter.of(m) async for m in held.messages(limit)]
    return total, letters


async def replay(
    amqp_url: str,
    dlq: str,
    queue: str,
    event_ids: Collection[str] | None = None,
    *,
    progress: Progress | None = None,
) -> Outcome:
    """Move the chosen dead letters (all when ``event_ids`` is None) back into ``queue`` only.

    Each goes through the default exchange straight to the queue (no other consumer gets a second copy),
    persistent and confirmed, without the failure's headers; then it is acknowledged in the DLQ.
    """
    return await _move(amqp_url, dlq, event_ids, lambda _m: ("", queue), progress)


async def replay_parked(
    amqp_url: str, parked: str, events_exchange: str, event_ids: Collection[str] | None = None,
    *, progress: Progress | None = None,
) -> Outcome:  # fmt: skip
    """Hand events parked in ``events.unrouted`` to the events exchange again, with their own routing keys: every
    queue now bound for them gets a copy (and its inbox drops one it already had); one still unrouted is parked
    again."""
    return await _move(amqp_url, parked, event_ids, lambda m: (events_exchange, m.routing_key or ""), progress)


async def _move(
    amqp_url: str,
    source: str,
    event_ids: Collection[str] | None,
    destination: Callable[[AbstractIncomingMessage], tuple[str, str]],
    progress: Progress | None,
) -> Outcome:
    wanted = None if event_ids is None else {event_id_of(i) for i in event_ids}
    outcome, found, batch = Outcome(source), set[str](), list[tuple[AbstractIncomingMessage, DeadLetter]]()
    async with _Held(amqp_url, source) as held:
        exchanges: dict[str, aio_pika.abc.AbstractExchange] = {}

        async def flush() -> None:
            for message, _ in batch:  # before publishing: a missing exchange closes the channel, taking nothing
                name = destination(message)[0]
                if name not in exchanges:
                    channel = held.channel
                    exchanges[name] = await channel.get_exchange(name) if name else channel.default_exchange
            copies = (_republish(exchanges, m, destination) for m, _ in batch)
            results = await asyncio.gather(*copies, return_exceptions=True)
            for (message, _letter), result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    outcome.failed += 1
                    if len(outcome.errors) < 3:
                        outcome.errors.append(_why(result))
                else:
                    await held.ack(message)
                    outcome.settled += 1
            batch.clear()
            if progress is not None:
                progress(outcome.looked_at, held.total)

        async for message in held.messages():
            outcome.looked_at += 1
            letter = DeadLetter.of(message)
            if wanted is None or event_id_of(letter.event_id) in wanted:
                found.add(event_id_of(letter.event_id))
                batch.append((message, letter))
            if len(batch) >= 100:
                await flush()
        await flush()
    outcome.left = held.total - outcome.settled
    outcome.not_found = sorted(i for i in event_ids or () if event_id_of(i) not in found)
    return outcome


async def _republish(
    exchanges: dict[str, aio_pika.abc.AbstractExchange],
    message: AbstractIncomingMessage,
    destination: Callable[[AbstractIncomingMessage], tuple[str, str]],
) -> None:
    name, routing_key = destination(message)
    headers = {k: v for k, v in (message.headers or {}).items() if k not in FAILURE_HEADERS}
    replays = headers.get(REPLAYS_HEADER)
    headers[REPLAYS_HEADER] = (replays if isinstance(replays, int) else 0) + 1
    await exchanges[name].publish(
        copy_of(message, headers), routing_key=routing_key, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
    )


def _why(exc: BaseException) -> str:
    """Why a copy was not confirmed, without the message (its repr would carry the body)."""
    if isinstance(exc, aiormq.exceptions.PublishError):
        delivery = getattr(exc.message, "delivery", None)
        reply, key = getattr(delivery, "reply_text", "?"), getattr(delivery, "routing_key", "?")
        return f"returned by the broker: {reply} for {key}"
    if isinstance(exc, aiormq.exceptions.DeliveryError):
        return "refused by the broker (nack)"
    return type(exc).__name__


async def discard(amqp_url: str, dlq: str, event_ids: Collection[str], reason: str) -> Outcome:
    """Remove the chosen dead letters for good, logging each with the operator's reason."""
    if not reason.strip():
        raise ValueError("a reason is required to discard dead letters")
    log = get_logger(__name__)  # fresh: the command line configures logging after import
    wanted, found, outcome = {event_id_of(i) for i in event_ids}, set[str](), Outcome(dlq)
    async with _Held(amqp_url, dlq) as held:
        async for message in held.messages():
            outcome.looked_at += 1
            letter = DeadLetter.of(message)
            if event_id_of(letter.event_id) in wanted:
                await held.ack(message)
                found.add(event_id_of(letter.event_id))
                outcome.settled += 1
                log.warning(
                    "dead_letter_discarded", queue=dlq, event_id=letter.event_id, type=letter.type, reason=reason,
                    error=letter.error,
                )  # fmt: skip
    outcome.left = held.total - outcome.settled
    outcome.not_found = sorted(i for i in event_ids if event_id_of(i) not in found)
    return outcome


def event_id_of(value: str) -> str:
    """An id to compare by: a UUID in its canonical form (whether written with dashes or not), else as given."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return value

"""The batching consumer: what the prefetch window holds, handled in one transaction, acknowledged after it.

For each subscription a consumer on its own channel of the worker's one consumer connection (publisher
confirms, for dead letters) takes up to
``consumer_batch_size`` deliveries — what has arrived, waiting at most ``consumer_batch_wait_ms`` for more —
and runs them in one unit of work: one statement records every event in the inbox
(``ON CONFLICT DO NOTHING RETURNING``: what it does not return is a duplicate), then each new event's handler
runs. The first pass runs them without savepoints (a savepoint costs two round trips per event); if a
handler fails, that pass is rolled back whole and the batch runs again with each handler in its own savepoint,
so that the failing handler rolls back alone: its savepoint, its inbox row and the events it emitted are
dropped, and after the commit it goes through the retry policy on its own (``shared.messaging.retry``: back-off
in process, then the dead-letter queue), its delivery still unacknowledged. The others commit once,
then are acknowledged. A crash before that commit leaves every delivery of the batch unacknowledged: the
broker redelivers them and the inbox makes the second pass harmless. An outage of the database pauses the
consumer and handles the whole batch again once it answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import aio_pika
import structlog
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection
from pydantic import ValidationError
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from shared.contracts.envelope import Envelope
from shared.db.failures import is_infrastructure_failure
from shared.messaging.retry import wait_for_database
from shared.observability.logging import get_logger

if TYPE_CHECKING:
    from shared.container import Container
    from shared.messaging.consumer import Subscription

log = get_logger(__name__)

RECORD_BATCH = text(
    "INSERT INTO inbox_message (consumer, event_id) SELECT :consumer, unnest(:ids) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
).bindparams(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))
FORGET = text("DELETE FROM inbox_message WHERE consumer = :consumer AND event_id = ANY(:ids)").bindparams(
    bindparam("ids", type_=ARRAY(UUID(as_uuid=True)))
)
Item = tuple[AbstractIncomingMessage, Envelope[Any]]


class _HandlerFailedWithoutSavepoints(Exception):
    """A handler failed in the first pass: roll the pass back whole and run the batch with savepoints."""

    def __init__(self, event_id: uuid.UUID, error: Exception) -> None:
        super().__init__(str(event_id))
        self.event_id, self.error = event_id, error


Failure = BaseException | None
Failed = tuple[AbstractIncomingMessage, Envelope[Any], Failure]


class BatchConsumer:
    def __init__(self, container: Container[Any, Any], sub: Subscription[Any], queue_name: str) -> None:
        from shared.messaging.consumer import EventMeta

        self.container, self.sub, self.queue_name = container, sub, queue_name
        self.meta_of = EventMeta.of
        settings = container.settings
        self.batch_size = settings.consumer_batch_size
        self.batch_wait = settings.consumer_batch_wait_ms / 1000
        self.key = container.topology.consumer_key(queue_name)
        self.model: type[Envelope[Any]] = Envelope[sub.contract]  # type: ignore[name-defined]
        counter = container.metrics.messages_handled
        self.outcomes = {o: counter.labels(self.key, o) for o in ("processed", "duplicate", "failed", "invalid")}
        self.retried = container.metrics.handler_retries.labels(self.key)
        self.paused = container.metrics.consumer_paused.labels(self.key)
        self.buffer: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        self.channel: AbstractChannel | None = None
        self.retrying: set[asyncio.Task[None]] = set()
        self.task: asyncio.Task[None] | None = None
        self.tag: str | None = None
        self.queue: aio_pika.abc.AbstractQueue | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------
    async def start(self, connection: AbstractRobustConnection) -> None:
        """Consume on a channel of ``connection`` (the worker's, shared by its subscriptions; robust, so the
        channel and its consumer come back after the broker does)."""
        settings = self.container.settings
        self.channel = channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        await channel.set_qos(prefetch_count=settings.prefetch_count)
        # Declared (passively), not just named: a robust channel restores only the queues it declared, and with
        # them their consumers once the broker is back; a named one would come back with nobody consuming it.
        self.queue = await channel.declare_queue(self.queue_name, passive=True)
        self.tag = await self.queue.consume(self._deliver)
        self.task = asyncio.create_task(self._run())

    async def _deliver(self, message: AbstractIncomingMessage) -> None:
        self.buffer.put_nowait(message)

    async def stop(self, timeout: float) -> None:
        """Take no more deliveries, finish what is buffered and being retried (up to ``timeout``), close."""
        with contextlib.suppress(Exception):
            if self.queue is not None and self.tag is not None:
                await self.queue.cancel(self.tag)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.task is not None and (not self.buffer.empty() or self._busy) and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        if self.retrying:
            await asyncio.wait(self.retrying, timeout=max(0.0, deadline - loop.time()))
        for task in [self.task, *self.retrying]:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.channel is not None:
            with contextlib.suppress(Exception):
                await self.channel.close()  # whatever is unacknowledged is redelivered

    _busy = False

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.buffer.get()]
            deadline = loop.time() + self.batch_wait
            while len(batch) < self.batch_size:
                if not self.buffer.empty():
                    batch.append(self.buffer.get_nowait())
                    continue
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self.buffer.get(), remaining))
                except TimeoutError:
                    break
            self._busy = True
            try:
                await self._handle(batch)
            except Exception:  # never stop consuming; the deliveries stay unacknowledged and come back
                log.exception("event_batch_failed", consumer=self.key)
            finally:
                self._busy = False

    # -- one batch ---------------------------------------------------------------------------------------
    async def _handle(self, batch: list[AbstractIncomingMessage]) -> None:
        from shared.messaging.consumer import dead_letter

        items: list[Item] = []
        for message in batch:
            try:
                items.append((message, self.model.model_validate_json(message.body)))
            except ValidationError as exc:
                log.error("event_rejected_invalid", consumer=self.key, message_id=message.message_id,
                          errors=exc.error_count())  # fmt: skip
                self.outcomes["invalid"].inc()
                await dead_letter(message, self.container.topology, self.queue_name, exc)
        if not items:
            return
        while True:
            try:
                try:
                    processed, duplicates, failed = await self._transaction(items, savepoints=False)
                except _HandlerFailedWithoutSavepoints as first:  # that one has had its try; the others run again
                    tried = {first.event_id: first.error}
                    processed, duplicates, failed = await self._transaction(items, savepoints=True, tried=tried)
                break
            except Exception as exc:
                if is_infrastructure_failure(exc):  # not the events' fault: spend none of their attempts
                    log.warning("consumer_paused", consumer=self.key, reason=type(exc).__name__)
                    waited = await wait_for_database(self.container.engine)
                    self.paused.inc(waited)
                    log.info("consumer_resumed", consumer=self.key, waited_seconds=round(waited, 2))
                    continue
                log.warning("event_batch_refused", consumer=self.key, error=type(exc).__name__, size=len(items))
                processed, duplicates, failed = [], [], [(m, e, None) for m, e in items]  # each on its own
                break
        await self._acknowledge([*processed, *(m for m, _ in duplicates)], settled_all=not failed)
        if processed:
            self.outcomes["processed"].inc(len(processed))
        if duplicates:
            self.outcomes["duplicate"].inc(len(duplicates))
        log.debug("events_handled", consumer=self.key, processed=len(processed), duplicate=len(duplicates))
        for message, envelope, error in failed:
            task = asyncio.create_task(self._retry(message, envelope, error))
            self.retrying.add(task)
            task.add_done_callback(self.retrying.discard)

    async def _acknowledge(self, settled: list[AbstractIncomingMessage], *, settled_all: bool) -> None:
        """After the commit. When every delivery of the channel up to the batch's last is settled (none of this
        batch failed, none is being retried), one ``basic.ack`` with ``multiple`` acknowledges them all."""
        if not settled:
            return
        if settled_all and not self.retrying:
            await max(settled, key=lambda m: m.delivery_tag or 0).ack(multiple=True)
            return
        for message in settled:
            await message.ack()

    async def _transaction(
        self, items: list[Item], *, savepoints: bool, tried: dict[uuid.UUID, Exception] | None = None
    ) -> tuple[list[AbstractIncomingMessage], list[Item], list[Failed]]:
        """The batch in one transaction; returns (processed, duplicates, failed), acknowledged by the caller.

        Without ``savepoints`` a failing handler ends the pass (``_HandlerFailedWithoutSavepoints``), and the
        transaction, left uncommitted, is rolled back. An event in ``tried`` failed so in a pass before: it
        counts as failed with that error, without running its handler a second time."""
        done: list[AbstractIncomingMessage] = []
        duplicates: list[Item] = []
        failed: list[Failed] = []
        async with self.container.uow() as uow:
            session = uow.session
            ids = [e.event_id for _, e in items]
            fresh = set((await session.execute(RECORD_BATCH, {"consumer": self.key, "ids": ids})).scalars())
            for message, envelope in items:
                if envelope.event_id not in fresh:
                    duplicates.append((message, envelope))
                    continue
                fresh.discard(envelope.event_id)  # the same event twice in one batch: the second is a duplicate
                if tried and envelope.event_id in tried:
                    failed.append((message, envelope, tried[envelope.event_id]))
                    continue
                mark = uow.pending_count()
                try:
                    if savepoints:
                        async with session.begin_nested():
                            await self.sub.handler(uow, envelope.data, self.meta_of(envelope))
                    else:
                        await self.sub.handler(uow, envelope.data, self.meta_of(envelope))
                except Exception as exc:
                    if is_infrastructure_failure(exc):
                        raise
                    if not savepoints:
                        raise _HandlerFailedWithoutSavepoints(envelope.event_id, exc) from exc
                    uow.drop_pending(mark)
                    failed.append((message, envelope, exc))
                    continue
                done.append(message)
            if failed:
                await session.execute(FORGET, {"consumer": self.key, "ids": [e.event_id for _, e, _ in failed]})
            await uow.commit()
        return done, duplicates, failed

    # -- a failed event, on its own ----------------------------------------------------------------------
    async def _retry(self, message: AbstractIncomingMessage, envelope: Envelope[Any], error: Failure) -> None:
        """The retry policy for one event (``error``: how its try in the batch failed, or None if untried)."""
        from shared.messaging.consumer import dead_letter

        delays: Iterator[float] = iter(self.container.settings.handler_retry_delays_seconds)
        with structlog.contextvars.bound_contextvars(
            consumer=self.key, event_id=str(envelope.event_id), correlation_id=envelope.correlation_id
        ):
            while True:
                if error is not None:
                    if (delay := next(delays, None)) is None:
                        log.error("event_handler_failed", error=type(error).__name__)
                        self.outcomes["failed"].inc()
                        await dead_letter(message, self.container.topology, self.queue_name, error)
                        return
                    log.warning("event_handler_retrying", error=type(error).__name__, delay_seconds=delay)
                    self.retried.inc()
                    await asyncio.sleep(delay)
                try:
                    duplicate = await self._one(envelope)
                except Exception as exc:
                    if is_infrastructure_failure(exc):
                        log.warning("consumer_paused", reason=type(exc).__name__)
                        self.paused.inc(await wait_for_database(self.container.engine))
                        error = None
                        continue
                    error = exc
                    continue
                break
            await message.ack()
            self.outcomes["duplicate" if duplicate else "processed"].inc()

    async def _one(self, envelope: Envelope[Any]) -> bool:
        async with self.container.uow() as uow:
            recorded = await uow.session.execute(RECORD_BATCH, {"consumer": self.key, "ids": [envelope.event_id]})
            duplicate = recorded.first() is None
            if not duplicate:
                await self.sub.handler(uow, envelope.data, self.meta_of(envelope))
            await uow.commit()
        return duplicate

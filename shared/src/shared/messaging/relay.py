"""The outbox relay: publishes committed outbox rows to RabbitMQ and marks them sent.

- Claims a batch with ``FOR UPDATE SKIP LOCKED``, so several relays (replicas) share the work without
  publishing the same row twice in the normal case; the row lock is held until the batch is marked.
- Publishes the batch concurrently on a channel with publisher confirms, persistent, ``mandatory`` with
  ``on_return_raises``: a message is marked sent only after the broker confirmed it.
- If the broker connection is lost the batch transaction rolls back and nothing is marked; the relay
  reconnects with exponential back-off. A crash between publish and mark-sent republishes the batch later:
  delivery is at-least-once and consumers deduplicate by ``event_id`` (the inbox).
- Keeps up to ``window`` batches in flight (ADR 0010): while one batch waits for the broker's confirms, the
  next is claimed (its own connection and transaction; SKIP LOCKED keeps the two apart) and published, so the
  relay publishes at the broker's pace instead of stopping for every batch's round trip. Each batch is marked
  on its own, exactly as before; a failure in any batch rolls that batch back and the relay backs off.
- Wakes on ``LISTEN outbox_message``; polling every ``poll_seconds`` stays the source of truth.
- After a claim cycle (at most once per ``backlog_seconds``) it sets ``outbox_pending`` (unpublished rows) and
  ``outbox_lag_seconds`` (the oldest one's age), both read through the partial index of unpublished rows. The
  count stops at ``backlog_count_limit`` (100,000): a relay far behind would otherwise spend ~0.17 s of the
  database every second counting a million rows; the gauge then reads "at least the limit".
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractExchange

from shared.db.engine import asyncpg_dsn
from shared.messaging.outbox import NOTIFY_CHANNEL
from shared.messaging.topology import Topology, declare_events_exchange
from shared.observability.logging import get_logger
from shared.observability.metrics import Metrics

log = get_logger(__name__)

CLAIM = """
SELECT id, event_id, routing_key, envelope::text AS body, correlation_id, envelope->>'type' AS type
FROM outbox_message
WHERE published_at IS NULL AND available_at <= now()
ORDER BY id
LIMIT $1
FOR UPDATE SKIP LOCKED
"""
# clock_timestamp(): when the broker had confirmed the batch, not when the transaction began.
MARK_SENT = """
UPDATE outbox_message SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])
"""
# The backlog, through ix_outbox_message_unpublished: a count of its entries (up to $1; NULL counts all) and the
# row with the lowest id.
BACKLOG = """
SELECT (SELECT count(*) FROM (SELECT FROM outbox_message WHERE published_at IS NULL LIMIT $1) AS p) AS pending,
       (SELECT created_at FROM outbox_message WHERE published_at IS NULL ORDER BY id LIMIT 1) AS oldest,
       clock_timestamp() AS now
"""
# A message the broker refused (returned or nacked) is retried later with back-off, capped at 5 minutes.
MARK_FAILED = """
UPDATE outbox_message
SET attempts = attempts + 1, last_error = $2,
    available_at = now() + make_interval(secs => least(300, power(2, attempts)))
WHERE id = $1
"""


async def _first_of(events: list[asyncio.Event], timeout: float | None = None) -> None:
    """Wait until any of the events is set, or the timeout passes."""
    waiters = [asyncio.create_task(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


class BrokerUnavailable(Exception):
    pass


@dataclass
class RelayConfig:
    database_url: str
    amqp_url: str
    topology: Topology
    batch_size: int = 200
    # Batches in flight at once: claiming and publishing the next overlaps waiting for the last one's confirms.
    window: int = 2
    poll_seconds: float = 1.0
    publish_timeout: float = 10.0
    # After the broker returns, the outbox drains within this (plus a batch): the back-off never grows past it.
    max_backoff: float = 2.0
    # How often the backlog gauges are refreshed while the relay is busy (an idle relay refreshes every poll).
    backlog_seconds: float = 1.0
    # outbox_pending counts at most this many rows, so that a long backlog costs no more to watch than a short one.
    backlog_count_limit: int = 100_000


class OutboxRelay:
    def __init__(self, config: RelayConfig, metrics: Metrics | None = None) -> None:
        self.config = config
        self.metrics = metrics or Metrics()
        self._pool: asyncpg.Pool | None = None
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._wake = asyncio.Event()
        self._backlog_observed_at: float | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        dsn = asyncpg_dsn(self.config.database_url)
        if self._pool is None:
            self._pool = await asyncpg.create_pool(dsn, min_size=1, max_size=self._pool_size)
        listener = asyncio.create_task(self._listen(dsn, stop))
        backoff = 0.2
        log.info("relay_started", batch_size=self.config.batch_size, window=self.config.window)
        try:
            while not stop.is_set():
                try:
                    await self._drain(stop)
                    backoff = 0.2
                    await self._sleep(stop, self.config.poll_seconds, wake=True)
                except Exception as exc:  # whatever failed (broker, database, network): retry later
                    log.warning("relay_retrying", error=repr(exc), backoff_seconds=backoff)
                    await self._disconnect()
                    await self._sleep(stop, backoff, wake=False)
                    backoff = min(backoff * 2, self.config.max_backoff)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            await self._disconnect()
            await self._pool.close()
            log.info("relay_stopped")

    @property
    def _pool_size(self) -> int:
        return max(2, self.config.window)

    async def _drain(self, stop: asyncio.Event) -> None:
        """Publish batches while they come back full, keeping up to ``window`` in flight; return once one comes
        back short (the outbox is, for now, empty) and the rest have finished. Each batch commits or rolls back
        on its own; a failure is raised after the others in flight have finished."""
        in_flight: set[asyncio.Task[int]] = {asyncio.create_task(self.relay_once())}
        failure: BaseException | None = None
        while in_flight:
            done, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            backlog = False
            for task in done:
                if (error := task.exception()) is not None:
                    failure = failure or error
                elif task.result() >= self.config.batch_size:
                    backlog = True
            # The backlog goes on: refill the window (the next claim skips the rows still being confirmed).
            while backlog and failure is None and not stop.is_set() and len(in_flight) < self.config.window:
                in_flight.add(asyncio.create_task(self.relay_once()))
        if failure is not None:
            raise failure

    async def _sleep(self, stop: asyncio.Event, seconds: float, *, wake: bool) -> None:
        await _first_of([stop, self._wake] if wake else [stop], timeout=seconds)
        self._wake.clear()

    async def _listen(self, dsn: str, stop: asyncio.Event) -> None:
        """Keep a LISTEN connection; if it fails, polling still finds every row."""
        while not stop.is_set():
            try:
                conn = await asyncpg.connect(dsn)
                try:
                    closed = asyncio.Event()
                    conn.add_termination_listener(lambda _, closed=closed: closed.set())
                    await conn.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())
                    await _first_of([stop, closed])
                finally:
                    await conn.close()
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("relay_listen_failed", error=repr(exc))
                await asyncio.sleep(2)

    async def _connect(self) -> AbstractExchange:
        if self._exchange is not None and self._channel is not None and not self._channel.is_closed:
            return self._exchange
        await self._disconnect()
        self._connection = await aio_pika.connect(self.config.amqp_url, timeout=self.config.publish_timeout)
        self._channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        self._exchange = await declare_events_exchange(self._channel, self.config.topology)
        log.info("relay_connected")
        return self._exchange

    async def _disconnect(self) -> None:
        connection, self._connection, self._channel, self._exchange = self._connection, None, None, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()

    # -- one batch ---------------------------------------------------------------------------------------
    async def relay_once(self) -> int:
        """Publish one batch; returns how many rows were claimed."""
        assert self._pool is not None, "run() or start_pool() first"
        exchange = await self._connect()
        async with self._pool.acquire() as conn:
            claimed = await self._publish_batch(conn, exchange)
            await self._observe_backlog(conn)
        return claimed

    async def _observe_backlog(self, conn: asyncpg.Connection) -> None:
        now = asyncio.get_running_loop().time()
        if self._backlog_observed_at is not None and now - self._backlog_observed_at < self.config.backlog_seconds:
            return
        self._backlog_observed_at = now
        backlog = await conn.fetchrow(BACKLOG, self.config.backlog_count_limit)
        assert backlog is not None
        self.metrics.outbox_pending.set(backlog["pending"])
        oldest = backlog["oldest"]
        self.metrics.outbox_lag.set(0.0 if oldest is None else max(0.0, (backlog["now"] - oldest).total_seconds()))

    async def _publish_batch(self, conn: asyncpg.Connection, exchange: AbstractExchange) -> int:
        async with conn.transaction():
            rows = await conn.fetch(CLAIM, self.config.batch_size)
            if not rows:
                return 0
            results = await asyncio.gather(*(self._publish(exchange, r) for r in rows), return_exceptions=True)
            if self._channel is None or self._channel.is_closed:
                raise BrokerUnavailable("channel closed during publish")  # roll back: nothing marked
            sent = [r["id"] for r, res in zip(rows, results, strict=True) if not isinstance(res, BaseException)]
            failed = [
                (r["id"], repr(res)) for r, res in zip(rows, results, strict=True) if isinstance(res, BaseException)
            ]
            if len(failed) == len(rows) and isinstance(results[0], (aio_pika.exceptions.AMQPConnectionError, OSError)):
                raise BrokerUnavailable(failed[0][1])
            await self._mark(conn, sent, failed)
        self.metrics.outbox_published.inc(len(sent))
        if failed:
            self.metrics.outbox_failures.inc(len(failed))
            log.warning("relay_publish_refused", count=len(failed), error=failed[0][1])
        return len(rows)

    async def _mark(self, conn: asyncpg.Connection, sent: list[int], failed: list[tuple[int, str]]) -> None:
        if sent:
            await conn.execute(MARK_SENT, sent)
        if failed:
            await conn.executemany(MARK_FAILED, failed)

    async def _publish(self, exchange: AbstractExchange, row: Any) -> None:
        message = aio_pika.Message(
            body=row["body"].encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(row["event_id"]),
            correlation_id=row["correlation_id"],
            type=row["type"],
            headers={"correlation_id": row["correlation_id"] or ""},
        )
        await exchange.publish(
            message, routing_key=row["routing_key"], mandatory=True, timeout=self.config.publish_timeout
        )

    async def start_pool(self) -> None:
        """For tests and benchmarks that drive :meth:`relay_once` themselves."""
        self._pool = await asyncpg.create_pool(asyncpg_dsn(self.config.database_url), min_size=1, max_size=2)

    async def close(self) -> None:
        await self._disconnect()
        if self._pool is not None:
            await self._pool.close()

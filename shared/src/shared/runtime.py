"""The long-running roles every service image has besides its HTTP API: the event worker and the relay.

Both take the service's container (``bootstrap(settings)``): the same settings, engine, clock and clients as
the HTTP API, so a service has one composition root. The worker watches its dead-letter queues and the relay
watches ``events.unrouted`` (:class:`QueueWatch`): the ``dead_letter_messages{queue}`` and ``unrouted_messages``
gauges beside ``queue_capacity_messages{queue}`` (their bound), a ``dead_letters_waiting`` /
``unrouted_events_waiting`` warning while one holds messages and ``queue_nearly_full`` from 80 % of its bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from prometheus_client import Gauge, start_http_server

from shared.container import Container
from shared.messaging.consumer import (
    Subscription,
    build_broker,
    declare_container_subscriptions,
    queue_of,
    subscribe,
)
from shared.messaging.relay import OutboxRelay, RelayConfig
from shared.messaging.retention import retention_jobs
from shared.messaging.topology import Bound
from shared.observability.logging import get_logger
from shared.ops.queues import QueueInspector
from shared.scheduling import PeriodicJob, run_periodically

log = get_logger(__name__)


def _serve_metrics(container: Container[Any, Any]) -> None:
    if container.settings.metrics_port:
        start_http_server(container.settings.metrics_port, registry=container.metrics.registry)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


def relay_config(container: Container[Any, Any]) -> RelayConfig:
    settings = container.settings
    return RelayConfig(
        database_url=settings.database_url,
        amqp_url=settings.amqp_url,
        topology=container.topology,
        batch_size=settings.relay_batch_size,
        window=settings.relay_window,
        poll_seconds=settings.relay_poll_seconds,
    )


async def run_relay(container: Container[Any, Any]) -> None:
    _serve_metrics(container)
    stop = asyncio.Event()
    _stop_on_signals(stop)
    try:
        watch = QueueWatch.unrouted(container)
        async with watching(watch, stop, container.settings.scheduler_interval_seconds):
            await OutboxRelay(relay_config(container), container.metrics).run(stop)
    finally:
        await container.close()


@dataclass(frozen=True)
class Watched:
    queue: str
    gauge: Gauge
    bound: Bound
    waiting: str  # the warning's event name: dead_letters_waiting, unrouted_events_waiting
    cleared: str


class QueueWatch:
    """Counts the messages in queues that should stay empty — the worker's dead-letter queues, the relay's
    ``events.unrouted`` — into their gauges; warns when one holds some (again when the count changes, and every
    ``remind_seconds`` while it does not) and, as ``queue_nearly_full``, from 80 % of its bound on."""

    def __init__(self, container: Container[Any, Any], watched: Sequence[Watched], *, remind_seconds: float = 600):
        self.watched = {w.queue: w for w in watched}
        self.inspector = QueueInspector(container.settings.amqp_url)
        self.remind_seconds = remind_seconds
        self._warned: dict[str, tuple[int, float]] = {}
        capacity = container.metrics.queue_capacity
        for w in watched:
            capacity.labels(container.topology.consumer_key(w.queue)).set(w.bound.max_messages)

    @classmethod
    def dead_letters(cls, container: Container[Any, Any], subscriptions: Sequence[Subscription[Any]]) -> QueueWatch:
        topology, gauge = container.topology, container.metrics.dead_letters
        queues = [topology.dead_letter_queue(queue_of(container, sub)) for sub in subscriptions]
        return cls(container, [
            Watched(q, gauge.labels(topology.consumer_key(q)), topology.dead_letter_bound, "dead_letters_waiting",
                    "dead_letters_cleared")
            for q in queues
        ])  # fmt: skip

    @classmethod
    def unrouted(cls, container: Container[Any, Any]) -> QueueWatch:
        topology = container.topology
        watched = Watched(topology.unrouted, container.metrics.unrouted, topology.unrouted_bound,
                          "unrouted_events_waiting", "unrouted_events_cleared")  # fmt: skip
        return cls(container, [watched])

    async def check(self) -> dict[str, int]:
        log = get_logger(__name__)  # fresh, so its lines follow the logging configured now
        stats = await self.inspector.stats(list(self.watched))
        now = asyncio.get_running_loop().time()
        counts: dict[str, int] = {}
        for queue, found in stats.items():
            watched = self.watched[queue]
            count = counts[queue] = found.messages or 0
            watched.gauge.set(count)
            last = self._warned.get(queue)
            if count and (last is None or last[0] != count or now - last[1] >= self.remind_seconds):
                log.warning(watched.waiting, queue=queue, count=count)
                if watched.bound.nearly_full(count):
                    log.warning("queue_nearly_full", queue=queue, count=count, bound=watched.bound.max_messages)
                self._warned[queue] = (count, now)
            elif not count and last is not None:
                log.info(watched.cleared, queue=queue)
                del self._warned[queue]
        return counts

    async def run(self, stop: asyncio.Event, interval: float) -> None:
        try:
            while not stop.is_set():
                try:
                    await self.check()
                except Exception as exc:  # the broker is away: the consumers reconnect, and so does this
                    log.warning("queue_count_failed", error=type(exc).__name__)
                    await self.inspector.close()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=interval)
        finally:
            await self.inspector.close()


@contextlib.asynccontextmanager
async def watching(watch: QueueWatch | None, stop: asyncio.Event, interval: float) -> AsyncIterator[None]:
    task = asyncio.create_task(watch.run(stop, interval)) if watch is not None else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def run_worker(
    container: Container[Any, Any], subscriptions: Sequence[Subscription[Any]], jobs: Sequence[PeriodicJob] = ()
) -> None:
    """Consume the service's subscriptions and run its periodic jobs until SIGTERM.

    Besides the service's ``jobs``, every worker prunes its messaging tables (``shared.messaging.retention``).
    In-flight messages finish first (the broker's graceful timeout); the job loop stops between runs.
    """
    jobs = [*jobs, *retention_jobs(container.settings)]
    _serve_metrics(container)
    stop = asyncio.Event()
    _stop_on_signals(stop)
    broker = build_broker(container.settings)
    if subscriptions:
        await declare_container_subscriptions(container, subscriptions)
        for sub in subscriptions:
            subscribe(broker, container, sub)
        await broker.start()
    interval = container.settings.scheduler_interval_seconds
    watch = QueueWatch.dead_letters(container, subscriptions) if subscriptions else None
    log.info("worker_started", subscriptions=len(subscriptions), jobs=len(jobs))
    try:
        async with watching(watch, stop, interval):
            await run_periodically(container, jobs, interval, stop)
    finally:
        if subscriptions:
            await broker.stop()  # waits up to the graceful timeout for handlers in flight
        await container.close()
        log.info("worker_stopped")

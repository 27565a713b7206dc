"""The long-running roles every service image has besides its HTTP API: the event worker and the relay.

Both take the service's container (``bootstrap(settings)``): the same settings, engine, clock and clients as
the HTTP API, so a service has one composition root. The worker also watches its dead-letter queues
(:class:`DeadLetterWatch`): the ``dead_letter_messages{queue}`` gauge, and a ``dead_letters_waiting`` warning
while one holds messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Sequence
from typing import Any

from prometheus_client import start_http_server

from shared.container import Container
from shared.messaging.consumer import (
    Subscription,
    build_broker,
    declare_container_subscriptions,
    queue_of,
    subscribe,
)
from shared.messaging.relay import OutboxRelay, RelayConfig
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
        poll_seconds=settings.relay_poll_seconds,
    )


async def run_relay(container: Container[Any, Any]) -> None:
    _serve_metrics(container)
    stop = asyncio.Event()
    _stop_on_signals(stop)
    try:
        await OutboxRelay(relay_config(container), container.metrics).run(stop)
    finally:
        await container.close()


class DeadLetterWatch:
    """Counts the messages in the worker's dead-letter queues; warns when one holds some (again when the count
    changes, and every ``remind_seconds`` while it does not)."""

    def __init__(
        self, container: Container[Any, Any], subscriptions: Sequence[Subscription[Any]], *, remind_seconds: float = 600
    ) -> None:
        topology = container.topology
        self.queues = [topology.dead_letter_queue(queue_of(container, sub)) for sub in subscriptions]
        self.gauges = {q: container.metrics.dead_letters.labels(topology.consumer_key(q)) for q in self.queues}
        self.inspector = QueueInspector(container.settings.amqp_url)
        self.remind_seconds = remind_seconds
        self._warned: dict[str, tuple[int, float]] = {}

    async def check(self) -> dict[str, int]:
        log = get_logger(__name__)  # fresh, so its lines follow the logging configured now
        stats = await self.inspector.stats(self.queues)
        now = asyncio.get_running_loop().time()
        counts: dict[str, int] = {}
        for queue, found in stats.items():
            count = counts[queue] = found.messages or 0
            self.gauges[queue].set(count)
            last = self._warned.get(queue)
            if count and (last is None or last[0] != count or now - last[1] >= self.remind_seconds):
                log.warning("dead_letters_waiting", queue=queue, count=count)
                self._warned[queue] = (count, now)
            elif not count and last is not None:
                log.info("dead_letters_cleared", queue=queue)
                del self._warned[queue]
        return counts

    async def run(self, stop: asyncio.Event, interval: float) -> None:
        try:
            while not stop.is_set():
                try:
                    await self.check()
                except Exception as exc:  # the broker is away: the consumers reconnect, and so does this
                    log.warning("dead_letter_count_failed", error=type(exc).__name__)
                    await self.inspector.close()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=interval)
        finally:
            await self.inspector.close()


async def run_worker(
    container: Container[Any, Any], subscriptions: Sequence[Subscription[Any]], jobs: Sequence[PeriodicJob] = ()
) -> None:
    """Consume the service's subscriptions and run its periodic jobs until SIGTERM.

    In-flight messages finish first (the broker's graceful timeout); the job loop stops between runs.
    """
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
    watch = None
    if subscriptions:
        watch = asyncio.create_task(DeadLetterWatch(container, subscriptions).run(stop, interval))
    log.info("worker_started", subscriptions=len(subscriptions), jobs=len(jobs))
    try:
        if jobs:
            await run_periodically(container, jobs, interval, stop)
        else:
            await stop.wait()
    finally:
        if watch is not None:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
        if subscriptions:
            await broker.stop()  # waits up to the graceful timeout for handlers in flight
        await container.close()
        log.info("worker_stopped")

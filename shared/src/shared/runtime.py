"""The long-running roles every service image has besides its HTTP API: the event worker and the relay.

Both take the service's container (``bootstrap(settings)``): the same settings, engine, clock and clients as
the HTTP API, so a service has one composition root.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence
from typing import Any

from prometheus_client import start_http_server

from shared.container import Container
from shared.messaging.consumer import Subscription, build_broker, declare_container_subscriptions, subscribe
from shared.messaging.relay import OutboxRelay, RelayConfig
from shared.observability.logging import get_logger
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
    log.info("worker_started", subscriptions=len(subscriptions), jobs=len(jobs))
    try:
        if jobs:
            await run_periodically(container, jobs, container.settings.scheduler_interval_seconds, stop)
        else:
            await stop.wait()
    finally:
        if subscriptions:
            await broker.stop()  # waits up to the graceful timeout for handlers in flight
        await container.close()
        log.info("worker_stopped")

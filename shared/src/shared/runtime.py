"""The long-running roles every service image has besides its HTTP API: the event worker and the relay."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence

from prometheus_client import start_http_server

from shared.config import ServiceSettings
from shared.db.engine import create_engine, create_sessionmaker
from shared.messaging.consumer import Subscription, build_broker, declare_subscriptions, subscribe, topology_of
from shared.messaging.relay import OutboxRelay, RelayConfig
from shared.observability.logging import get_logger
from shared.observability.metrics import Metrics
from shared.scheduling import PeriodicJob, run_periodically

log = get_logger(__name__)


def _serve_metrics(settings: ServiceSettings, metrics: Metrics) -> None:
    if settings.metrics_port:
        start_http_server(settings.metrics_port, registry=metrics.registry)


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


def relay_config(settings: ServiceSettings) -> RelayConfig:
    return RelayConfig(
        database_url=settings.database_url,
        amqp_url=settings.amqp_url,
        topology=topology_of(settings),
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
    )


async def run_relay(settings: ServiceSettings) -> None:
    metrics = Metrics()
    _serve_metrics(settings, metrics)
    stop = asyncio.Event()
    _stop_on_signals(stop)
    await OutboxRelay(relay_config(settings), metrics).run(stop)


async def run_worker(
    settings: ServiceSettings,
    subscriptions: Sequence[Subscription],
    jobs: Sequence[PeriodicJob] = (),
    job_interval_seconds: float = 15.0,
) -> None:
    """Consume the service's subscriptions and run its periodic jobs until SIGTERM.

    In-flight messages finish first (the broker's graceful timeout); the job loop stops between runs.
    """
    metrics = Metrics()
    _serve_metrics(settings, metrics)
    # Every delivery in flight holds a connection: never fewer connections than the prefetch.
    pool_size = max(settings.database_pool_size, settings.prefetch_count)
    engine = create_engine(settings.database_url, pool_size=pool_size, pre_ping=False)
    sessionmaker = create_sessionmaker(engine)
    topology = topology_of(settings)
    stop = asyncio.Event()
    _stop_on_signals(stop)
    broker = build_broker(settings)
    if subscriptions:
        await declare_subscriptions(settings.amqp_url, topology, subscriptions)
        for sub in subscriptions:
            subscribe(broker, topology, sessionmaker, sub, metrics)
        await broker.start()
    log.info("worker_started", subscriptions=len(subscriptions), jobs=len(jobs))
    try:
        if jobs:
            await run_periodically(sessionmaker, jobs, job_interval_seconds, stop)
        else:
            await stop.wait()
    finally:
        if subscriptions:
            await broker.stop()  # waits up to the graceful timeout for handlers in flight
        await engine.dispose()
        log.info("worker_stopped")

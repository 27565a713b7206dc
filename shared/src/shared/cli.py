"""The one entry point every service has: ``<service> api | worker | relay | migrate | <command>``.

A service describes itself once (:class:`ServiceDefinition`, in its ``bootstrap.py``); every role builds the
same container with the service's ``bootstrap`` and runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from shared.config import ServiceSettings
from shared.container import Container
from shared.db.migrations import upgrade
from shared.messaging.consumer import Subscription, declare_container_subscriptions
from shared.observability.logging import configure_logging
from shared.runtime import run_relay, run_worker
from shared.scheduling import PeriodicJob

AnyContainer = Container[Any, Any]


@dataclass
class ServiceDefinition:
    """What a service plugs into the roles. ``create_app`` is imported lazily by the api role only."""

    name: str
    description: str
    settings: Callable[[], ServiceSettings]
    migrations: Path
    bootstrap: Callable[..., AnyContainer]
    create_app: Callable[[Any], Any]
    subscriptions: Callable[[Any], Sequence[Subscription[Any]]] = field(default=lambda _container: [])
    jobs: Callable[[Any], Sequence[PeriodicJob]] = field(default=lambda _container: [])
    # One-off operator commands beside the roles, e.g. grants' ``sync-directory``: name -> async (container).
    commands: dict[str, Callable[[Any], Coroutine[Any, Any, None]]] = field(default_factory=dict)


async def _run_command(service: ServiceDefinition, name: str, settings: ServiceSettings) -> None:
    container = service.bootstrap(settings)
    try:
        await service.commands[name](container)
    finally:
        await container.close()


async def migrate(service: ServiceDefinition, settings: ServiceSettings) -> None:
    """``<service> migrate``: the database's schema, then the service's names on the broker — the events
    exchange with its parking queue, and a queue (with its dead-letter queue) for every subscription. Run before
    the service's roles start, so that no event published from then on finds its queue missing and is parked
    for an operator instead of reaching the service (ADR 0016)."""
    await upgrade(service.migrations, settings.database_url)
    container = service.bootstrap(settings)
    try:
        await declare_container_subscriptions(container, service.subscriptions(container))
    finally:
        await container.close()


def run(service: ServiceDefinition, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=service.name, description=service.description)
    parser.add_argument("role", choices=["api", "worker", "relay", "migrate", *service.commands])
    role = parser.parse_args(argv).role
    settings = service.settings()
    configure_logging(settings.service_name, json=settings.log_json, level=settings.log_level)
    if role in service.commands:
        asyncio.run(_run_command(service, role, settings))
    elif role == "migrate":
        asyncio.run(migrate(service, settings))
    elif role == "relay":
        asyncio.run(run_relay(service.bootstrap(settings)))
    elif role == "worker":
        # A failed handler is simply redelivered: the worker skips the pool's pre-ping round trips.
        container = service.bootstrap(settings, pre_ping=False)
        asyncio.run(run_worker(container, service.subscriptions(container), service.jobs(container)))
    else:
        uvicorn.run(
            service.create_app(service.bootstrap(settings, max_overflow=0)),  # a request holds one connection
            host=settings.http_host,
            port=settings.http_port,
            log_level="warning",
            log_config=None,  # keep configure_logging's handlers: uvicorn's lines go through structlog too
            timeout_graceful_shutdown=int(settings.graceful_timeout_seconds),
        )

"""The one entry point every service has: ``<service> api | worker | relay | migrate``, one role per process."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from shared.config import ServiceSettings
from shared.db.migrations import upgrade
from shared.messaging.consumer import Subscription
from shared.observability.logging import configure_logging
from shared.runtime import run_relay, run_worker
from shared.scheduling import PeriodicJob


@dataclass
class ServiceRoles:
    """What a service plugs into the roles; the app factory is imported only by the api role."""

    name: str
    description: str
    settings: Callable[[], ServiceSettings]
    migrations: Path
    create_app: Callable[[Any], Any]
    subscriptions: Callable[[], Sequence[Subscription]] = list
    jobs: Callable[[Any], Sequence[PeriodicJob]] = field(default=lambda _settings: [])
    job_interval_seconds: Callable[[Any], float] = field(default=lambda _settings: 15.0)
    # One-off operator commands beside the roles, e.g. grants' ``sync-directory``: name -> async (settings).
    commands: dict[str, Callable[[Any], Coroutine[Any, Any, None]]] = field(default_factory=dict)


def run(roles: ServiceRoles, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=roles.name, description=roles.description)
    parser.add_argument("role", choices=["api", "worker", "relay", "migrate", *roles.commands])
    role = parser.parse_args(argv).role
    settings = roles.settings()
    configure_logging(settings.service_name, json=settings.log_json, level=settings.log_level)
    if role in roles.commands:
        asyncio.run(roles.commands[role](settings))
    elif role == "migrate":
        asyncio.run(upgrade(roles.migrations, settings.database_url))
    elif role == "relay":
        asyncio.run(run_relay(settings))
    elif role == "worker":
        interval = roles.job_interval_seconds(settings)
        asyncio.run(run_worker(settings, roles.subscriptions(), roles.jobs(settings), interval))
    else:
        uvicorn.run(
            roles.create_app(settings),
            host=settings.http_host,
            port=settings.http_port,
            log_level="warning",
            timeout_graceful_shutdown=int(settings.graceful_timeout_seconds),
        )

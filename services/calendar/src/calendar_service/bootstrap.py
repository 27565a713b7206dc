"""The composition root: ``bootstrap(settings, **overrides)`` builds the container every role runs on.

The HTTP app (``create_app(container)``), the worker (its subscriptions and jobs) and the relay take the same
container; tests pass fakes and a movable clock as overrides (``bootstrap(settings, clock=MovableClock())``).
Nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calendar_service.config import Settings
from calendar_service.service_layer.schedule import schedule_job
from calendar_service.service_layer.surveys import CLOSE_DUE_SURVEYS
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.cli import ServiceDefinition
from shared.container import Container, build_container
from shared.http.idempotency import PURGE_IDEMPOTENCY_RECORDS
from shared.messaging.consumer import Subscription
from shared.scheduling import PeriodicJob

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass(kw_only=True)
class Calendar(Container[Settings, CalendarUnitOfWork]):
    """The calendar's container; it has no clients of its own (the directory sync opens its HTTP client)."""


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Calendar:
    return build_container(Calendar, settings or Settings(), unit_of_work=CalendarUnitOfWork, **overrides)


def subscriptions(container: Calendar) -> list[Subscription[Any]]:
    from calendar_service.entrypoints.messaging.subscribers import subscriptions as subscribed

    return subscribed(container)


def jobs(container: Calendar) -> list[PeriodicJob]:
    """What the worker does on time: keep this year's and the next year's schedule generated from the clock, and
    close the feedback surveys whose time is up."""
    return [schedule_job(container.settings.schedule_years_ahead), CLOSE_DUE_SURVEYS, PURGE_IDEMPOTENCY_RECORDS]


def _create_app(container: Calendar) -> Any:
    from calendar_service.entrypoints.http.app import create_app

    return create_app(container)


async def _sync_directory(container: Calendar) -> None:
    from calendar_service.entrypoints.cli import sync_directory_command

    await sync_directory_command(container)


SERVICE = ServiceDefinition(
    name="calendar",
    description="The calendar service: the annual clock, the year's schedule and events for associations.",
    settings=Settings,
    migrations=MIGRATIONS,
    bootstrap=bootstrap,
    create_app=_create_app,
    subscriptions=subscriptions,
    jobs=jobs,
    commands={"sync-directory": _sync_directory},
)

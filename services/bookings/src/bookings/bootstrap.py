"""The composition root: ``bootstrap(settings, **overrides)`` builds the container every role runs on.

The HTTP app (``create_app(container)``), the worker (its subscriptions and jobs) and the relay take the same
container; tests pass a movable clock as an override (``bootstrap(settings, clock=MovableClock())``). Nothing is
built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookings.config import Settings
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.cli import ServiceDefinition
from shared.container import Container, build_container
from shared.http.idempotency import PURGE_IDEMPOTENCY_RECORDS
from shared.messaging.consumer import Subscription
from shared.scheduling import PeriodicJob

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass(kw_only=True)
class Bookings(Container[Settings, BookingsUnitOfWork]):
    """Bookings' container; it calls no other service (its copies come from events)."""


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Bookings:
    return build_container(Bookings, settings or Settings(), unit_of_work=BookingsUnitOfWork, **overrides)


def subscriptions(container: Bookings) -> list[Subscription[Any]]:
    from bookings.entrypoints.messaging.subscribers import subscriptions as subscribed

    return subscribed(container)


def jobs(_container: Bookings) -> list[PeriodicJob]:
    from bookings.service_layer.season_rounds import JOBS as SEASON_ROUND_JOBS  # rounds open and close on time

    return [PURGE_IDEMPOTENCY_RECORDS, *SEASON_ROUND_JOBS]


def _create_app(container: Bookings) -> Any:
    from bookings.entrypoints.http.app import create_app

    return create_app(container)


SERVICE = ServiceDefinition(
    name="bookings",
    description="The bookings service: city premises, their rules and prices, bookings and seasons.",
    settings=Settings,
    migrations=MIGRATIONS,
    bootstrap=bootstrap,
    create_app=_create_app,
    subscriptions=subscriptions,
    jobs=jobs,
)

"""The composition root: ``bootstrap(settings, **overrides)`` builds the container every role runs on.

The HTTP app (``create_app(container)``), the worker (its subscriptions and jobs) and the relay take the same
container; tests pass fakes and a movable clock as overrides (``bootstrap(settings, clock=MovableClock())``).
Nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from grants.config import Settings
from grants.service_layer import partnership_discussions, partnerships, rounds, usage_reports
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.cli import ServiceDefinition
from shared.container import Container, build_container
from shared.http.idempotency import PURGE_IDEMPOTENCY_RECORDS
from shared.messaging.consumer import Subscription
from shared.scheduling import PeriodicJob

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass(kw_only=True)
class Grants(Container[Settings, GrantsUnitOfWork]):
    """Grants' container; it has no clients of its own yet (the directory sync opens its HTTP client)."""


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Grants:
    return build_container(Grants, settings or Settings(), unit_of_work=GrantsUnitOfWork, **overrides)


def subscriptions(container: Grants) -> list[Subscription[Any]]:
    from grants.entrypoints.messaging.subscribers import subscriptions as subscribed

    return subscribed(container)


def jobs(container: Grants) -> list[PeriodicJob]:
    """What the worker does on time: open and close rounds, remind of reports and discussions, end terms."""
    settings = container.settings
    return [
        *rounds.JOBS,
        PeriodicJob(
            "send_usage_report_reminders",
            partial(usage_reports.send_due_reminders, reminder_days=settings.usage_report_reminder_days),
        ),
        PeriodicJob("send_usage_report_overdue_notices", usage_reports.send_overdue_notices),
        PeriodicJob(
            "put_partnership_discussions_due",
            partial(
                partnership_discussions.put_discussions_due, notice_days=settings.partnership_discussion_notice_days
            ),
        ),
        PeriodicJob("end_expired_partnerships", partnerships.end_expired_agreements),
        PURGE_IDEMPOTENCY_RECORDS,
    ]


def _create_app(container: Grants) -> Any:
    from grants.entrypoints.http.app import create_app

    return create_app(container)


async def _sync_directory(container: Grants) -> None:
    from grants.entrypoints.cli import sync_directory_command

    await sync_directory_command(container)


SERVICE = ServiceDefinition(
    name="grants",
    description="The grants and partnerships service.",
    settings=Settings,
    migrations=MIGRATIONS,
    bootstrap=bootstrap,
    create_app=_create_app,
    subscriptions=subscriptions,
    jobs=jobs,
    commands={"sync-directory": _sync_directory},
)

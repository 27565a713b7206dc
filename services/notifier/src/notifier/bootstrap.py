"""The composition root: ``bootstrap(settings, **overrides)`` builds the container every role runs on.

Besides the kit's parts it holds the notifier's clients: the SMTP mailer, the directory's, the calendar's and
grants' HTTP clients (the recipients of a notification, resolved at send time) and the public endpoints' rate
limiter.
Tests pass their own (a mailer aimed at an in-process SMTP server, a movable clock) as overrides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from notifier.adapters.calendar import CalendarClient
from notifier.adapters.directory import DirectoryClient
from notifier.adapters.grants import GrantsClient
from notifier.adapters.smtp import SmtpMailer
from notifier.config import Settings
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.cli import ServiceDefinition
from shared.container import Container, build_container
from shared.http.idempotency import PURGE_IDEMPOTENCY_RECORDS
from shared.messaging.consumer import Subscription
from shared.scheduling import PeriodicJob

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@dataclass
class RateLimit:
    """The public endpoints' limit per client address, a moving window kept by the ``limits`` library."""

    rule: str
    limiter: MovingWindowRateLimiter = field(default_factory=lambda: MovingWindowRateLimiter(MemoryStorage()))

    async def allow(self, *keys: str) -> bool:
        return await self.limiter.hit(parse(self.rule), *keys)

    async def reset_at(self, *keys: str) -> float:
        """When (epoch seconds) the window has room again for ``keys``."""
        return (await self.limiter.get_window_stats(parse(self.rule), *keys)).reset_time


@dataclass(kw_only=True)
class Notifier(Container[Settings, NotifierUnitOfWork]):
    mailer: SmtpMailer
    directory: DirectoryClient
    calendar: CalendarClient
    grants: GrantsClient
    rate_limit: RateLimit

    async def close(self) -> None:
        await self.mailer.close()
        await self.directory.close()
        await self.calendar.close()
        await self.grants.close()
        await super().close()


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Notifier:
    settings = settings or Settings()
    clients: dict[str, Any] = {
        "mailer": overrides.pop("mailer", None) or SmtpMailer(settings),
        "directory": overrides.pop("directory", None) or DirectoryClient(settings),
        "calendar": overrides.pop("calendar", None) or CalendarClient(settings),
        "grants": overrides.pop("grants", None) or GrantsClient(settings),
        "rate_limit": overrides.pop("rate_limit", None) or RateLimit(settings.public_rate_limit),
    }
    return build_container(Notifier, settings, unit_of_work=NotifierUnitOfWork, **clients, **overrides)


def subscriptions(container: Notifier) -> list[Subscription[Any]]:
    from notifier.entrypoints.messaging import newsletter_dates
    from notifier.entrypoints.messaging.subscribers import subscriptions as subscribed

    return [*subscribed(container), *newsletter_dates.subscriptions()]


def jobs(container: Notifier) -> list[PeriodicJob]:
    """What the worker does on time: fan out the issues whose time came, send what is due, close sent issues."""
    from notifier.service_layer.sending import sending_jobs

    return [
        *sending_jobs(container.settings, container.mailer, container.uow, lambda: container.clock()),
        PURGE_IDEMPOTENCY_RECORDS,
    ]


def _create_app(container: Notifier) -> Any:
    from notifier.entrypoints.http.app import create_app

    return create_app(container)


SERVICE = ServiceDefinition(
    name="notifier",
    description="The notifier: the newsletter Yhdistysuutiset and emails to associations when things happen.",
    settings=Settings,
    migrations=MIGRATIONS,
    bootstrap=bootstrap,
    create_app=_create_app,
    subscriptions=subscriptions,
    jobs=jobs,
)

"""The composition root: everything the grants entrypoints use is built here, nothing at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from grants.config import Settings
from grants.service_layer import directory_copy, partnership_discussions, partnerships, rounds, usage_reports
from shared.db import create_engine, create_sessionmaker
from shared.db.uow import UnitOfWork
from shared.http.idempotency import PURGE_IDEMPOTENCY_RECORDS
from shared.messaging.consumer import Subscription
from shared.scheduling import PeriodicJob

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def subscriptions() -> list[Subscription]:
    return [*directory_copy.SUBSCRIPTIONS]


def jobs(settings: Settings) -> list[PeriodicJob]:
    """What the worker does on time: open and close rounds, remind of reports and discussions, end terms."""
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


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Grants:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime] = field(default=utc_now)  # tests move time by replacing this

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessionmaker)


def bootstrap(settings: Settings) -> Grants:
    engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
    return Grants(settings=settings, engine=engine, sessionmaker=create_sessionmaker(engine))

"""The composition root: everything the directory's entrypoints use is built here, nothing at import time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from directory.config import Settings
from shared.db import create_engine, create_sessionmaker
from shared.db.uow import UnitOfWork
from shared.http.idempotency import PURGE_IDEMPOTENCY_RECORDS
from shared.messaging.consumer import Subscription
from shared.scheduling import PeriodicJob

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

# The directory owns its data and consumes no other service's events (yet).
SUBSCRIPTIONS: list[Subscription] = []


def jobs(_settings: Settings) -> list[PeriodicJob]:
    return [PURGE_IDEMPOTENCY_RECORDS]


@dataclass
class Directory:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessionmaker)


def bootstrap(settings: Settings) -> Directory:
    engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
    return Directory(settings=settings, engine=engine, sessionmaker=create_sessionmaker(engine))

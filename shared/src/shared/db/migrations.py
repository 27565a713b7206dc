"""Alembic per service: each service's ``migrations/env.py`` calls :func:`run_env`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db.engine import ensure_database


def alembic_config(script_location: Path, database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


async def upgrade(script_location: Path, database_url: str, revision: str = "head") -> None:
    """Create the database when missing, then migrate it to ``revision``."""
    await ensure_database(database_url)
    cfg = alembic_config(script_location, database_url)
    await asyncio.to_thread(command.upgrade, cfg, revision)


def run_env(target_metadata: MetaData) -> None:
    """The body of a service's ``env.py`` (online, async)."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is set by alembic_config()"

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            # Two replicas migrating at once take turns.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7411)")
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())


INFRASTRUCTURE_TABLES = ("outbox_message", "inbox_message", "idempotency_record")


def create_infrastructure_tables() -> None:
    """In a service's first migration: the outbox, inbox and idempotency tables, declared once in shared."""
    from alembic import op

    from shared.db.metadata import new_metadata

    metadata = new_metadata()
    metadata.create_all(op.get_bind(), tables=[metadata.tables[t] for t in INFRASTRUCTURE_TABLES])


def drop_infrastructure_tables() -> None:
    from alembic import op

    from shared.db.metadata import new_metadata

    metadata = new_metadata()
    metadata.drop_all(op.get_bind(), tables=[metadata.tables[t] for t in INFRASTRUCTURE_TABLES])


# The indexes the retention job prunes through (shared.messaging.retention), added in 2026-12. IF NOT EXISTS: a
# database created since then already has them from its first migration, which builds the tables as declared now.
RETENTION_INDEXES = {
    "ix_outbox_message_published_at": "outbox_message (published_at) WHERE published_at IS NOT NULL",
    "ix_inbox_message_received_at": "inbox_message (received_at)",
}


def create_retention_indexes() -> None:
    from alembic import op

    for name, target in RETENTION_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_retention_indexes() -> None:
    from alembic import op

    for name in RETENTION_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")

"""bookings: indexes for pruning published outbox rows and old inbox rows

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 14:30:00.000000

Declared once in shared (shared.db.tables); a plain CREATE INDEX, which blocks writes to the two tables while it
builds: they hold only a few days of rows so far. A database that has grown large would build them CONCURRENTLY
by hand first (IF NOT EXISTS then skips them).
"""

from collections.abc import Sequence

from shared.db.migrations import create_retention_indexes, drop_retention_indexes

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_retention_indexes()


def downgrade() -> None:
    drop_retention_indexes()

"""notifier: when a delivery's mail was handed to the SMTP server, so that a resumed claim knows it is in doubt

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 14:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("delivery", sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("delivery", "handed_over_at")

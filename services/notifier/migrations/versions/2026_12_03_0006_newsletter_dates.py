"""notifier: the calendar's planned newsletter dates, and the clock entry an issue was scheduled on (ADR 0014)

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-03 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "newsletter_date",
        sa.Column("id", UUID(as_uuid=True), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("record_revision", sa.BigInteger(), nullable=True),
        sa.Column("clock_entry_id", UUID(as_uuid=True), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("title_fi", sa.Text(), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("copied_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_newsletter_date"),
    )
    op.create_index("ix_newsletter_date_year_planned_on", "newsletter_date", ["year", "planned_on"])
    op.add_column("newsletter_issue", sa.Column("clock_entry_id", UUID(as_uuid=True), nullable=True))


def downgrade() -> None:
    op.drop_column("newsletter_issue", "clock_entry_id")
    op.drop_index("ix_newsletter_date_year_planned_on", table_name="newsletter_date")
    op.drop_table("newsletter_date")

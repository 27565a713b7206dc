"""notifier: grants' decisions kept until their round's publication announces them to the applicants

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "grant_decision",
        sa.Column("application_id", UUID(as_uuid=True), nullable=False),
        sa.Column("round_id", UUID(as_uuid=True), nullable=False),
        sa.Column("applicant_id", UUID(as_uuid=True), nullable=False),
        sa.Column("requested_cents", sa.BigInteger(), nullable=False),
        sa.Column("approved_cents", sa.BigInteger(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("application_id", name="pk_grant_decision"),
    )
    op.create_index(
        "ix_grant_decision_round_unannounced", "grant_decision", ["round_id"],
        postgresql_where=sa.text("announced_at IS NULL"),
    )  # fmt: skip
    op.create_table(
        "decision_publication",
        sa.Column("round_id", UUID(as_uuid=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "published_at", name="pk_decision_publication"),
    )


def downgrade() -> None:
    op.drop_table("decision_publication")
    op.drop_index("ix_grant_decision_round_unannounced", table_name="grant_decision")
    op.drop_table("grant_decision")

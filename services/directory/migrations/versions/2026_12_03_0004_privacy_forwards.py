"""directory: erasures forwarded durably to the services holding a person's data (ADR 0015)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 17:50:00

An erasure record's counts become per service: the directory's own counts move under "directory".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "privacy_forward",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("erasure_id", sa.UUID(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["erasure_id"], ["erasure_record.id"], name=op.f("fk_privacy_forward_erasure_id_erasure_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_forward")),
        sa.UniqueConstraint("erasure_id", "service", name="uq_privacy_forward_erasure_service"),
    )
    op.create_index("ix_privacy_forward_next_attempt_at", "privacy_forward", ["next_attempt_at"])
    op.execute(
        "UPDATE erasure_record SET counts = jsonb_build_object('directory', counts) WHERE NOT counts ? 'directory'"
    )


def downgrade() -> None:
    op.execute("UPDATE erasure_record SET counts = counts->'directory' WHERE counts ? 'directory'")
    op.drop_index("ix_privacy_forward_next_attempt_at", table_name="privacy_forward")
    op.drop_table("privacy_forward")

"""representatives choose which kinds of message they get

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "representative",
        sa.Column(
            "notifications",
            postgresql.ARRAY(sa.Text()),
            server_default="{grants,partnership,bookings,events}",
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("representative", "notifications")

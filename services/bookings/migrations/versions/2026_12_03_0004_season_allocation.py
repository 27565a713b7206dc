"""season allocation by hand and its publication: rejected wishes and the publication time of the proposal

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('season_proposal', sa.Column('rejected', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False))
    op.add_column('season_proposal', sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('season_proposal', 'published_at')
    op.drop_column('season_proposal', 'rejected')

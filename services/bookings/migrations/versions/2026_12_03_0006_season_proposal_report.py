"""the proposal keeps the solver's report: its objective and its notes (which parts kept the greedy answer)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('season_proposal', sa.Column('objective', sa.BigInteger(), server_default=sa.text('0'), nullable=False))
    op.add_column('season_proposal', sa.Column('notes', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False))


def downgrade() -> None:
    op.drop_column('season_proposal', 'notes')
    op.drop_column('season_proposal', 'objective')

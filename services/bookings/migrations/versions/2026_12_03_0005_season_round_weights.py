"""season rounds carry their allocation weights (the principles as numbers), the ADR's defaults to begin with

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# allocation_model.Weights() as it was when this revision was written: the rounds made before it get these
DEFAULTS = (
    '{"age_group_percent": {"children": 300, "youth": 300, "mixed": 150, "seniors": 120, "adults": 100},'
    ' "priority_step_percent": 20, "priority_floor_percent": 30, "continuity_percent": 30, "fair_share_percent": 50}'
)


def upgrade() -> None:
    op.add_column('season_round', sa.Column('weights', postgresql.JSONB(astext_type=sa.Text()),
                                            server_default=sa.text(f"'{DEFAULTS}'::jsonb"), nullable=False))
    op.alter_column('season_round', 'weights', server_default=None)


def downgrade() -> None:
    op.drop_column('season_round', 'weights')

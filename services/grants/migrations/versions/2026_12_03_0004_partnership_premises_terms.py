"""partnership premises terms

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 14:30:00.000000

Written by hand: an agreement's terms about the department's premises, both columns NULL when it says nothing
of them (the agreements already made say nothing).
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
    op.add_column('partnership_agreement', sa.Column('premises_free_use', sa.Boolean(), nullable=True))
    op.add_column(
        'partnership_agreement', sa.Column('premises_facility_ids', postgresql.ARRAY(sa.UUID()), nullable=True)
    )
    op.create_check_constraint(
        op.f('ck_partnership_agreement_premises_terms_whole'),
        'partnership_agreement',
        '(premises_free_use IS NULL) = (premises_facility_ids IS NULL)',
    )


def downgrade() -> None:
    op.drop_constraint(op.f('ck_partnership_agreement_premises_terms_whole'), 'partnership_agreement', type_='check')
    op.drop_column('partnership_agreement', 'premises_facility_ids')
    op.drop_column('partnership_agreement', 'premises_free_use')

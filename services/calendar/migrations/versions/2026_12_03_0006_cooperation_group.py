"""calendar: the cooperation group's members, and its meetings' agenda and minutes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cooperation_group_member',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('organisation', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('role_fi', sa.Text(), nullable=False),
    sa.Column('representative', sa.Text(), nullable=True),
    sa.Column('directory_id', sa.UUID(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('association', 'city', 'wellbeing_services_county', 'other_partner')", name=op.f('ck_cooperation_group_member_kind_known')),
    sa.CheckConstraint("(kind = 'association') = (directory_id IS NOT NULL)", name=op.f('ck_cooperation_group_member_association_has_directory_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_group_member'))
    )
    op.add_column('calendar_event', sa.Column('agenda_md', sa.Text(), nullable=True))
    op.add_column('calendar_event', sa.Column('minutes_md', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('calendar_event', 'minutes_md')
    op.drop_column('calendar_event', 'agenda_md')
    op.drop_table('cooperation_group_member')

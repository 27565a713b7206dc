"""calendar: a copy of the directory's associations; invitations get an id (their token is derived from it);
a registration's contact gets a language (of the mails sent to it)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 17:45:00.000000

Invitations made before this revision get a random id: their tokens were random and handed out once, so they
cannot be derived from it (the invitations read leaves them out; they still answer with their old token).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('association',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.Column('record_revision', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.Text(), nullable=True),
    sa.Column('fields_of_activity', postgresql.ARRAY(sa.Text()), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('copied_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_association'))
    )
    op.create_index('ix_association_active_kind', 'association', ['active', 'kind'], unique=False)
    op.add_column('feedback_invitation', sa.Column('id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False))
    op.alter_column('feedback_invitation', 'id', server_default=None)
    op.add_column('feedback_invitation', sa.Column('association_id', sa.UUID(), nullable=True))
    op.create_unique_constraint(op.f('uq_feedback_invitation_id'), 'feedback_invitation', ['id'])
    op.create_index('ix_feedback_invitation_survey_id_id', 'feedback_invitation', ['survey_id', 'id'], unique=False)
    op.add_column('registration', sa.Column('contact_language', sa.Text(), server_default='fi', nullable=False))
    op.create_check_constraint(
        op.f('ck_registration_contact_language_known'), 'registration', "contact_language IN ('fi', 'sv', 'en')"
    )


def downgrade() -> None:
    op.drop_constraint(op.f('ck_registration_contact_language_known'), 'registration', type_='check')
    op.drop_column('registration', 'contact_language')
    op.drop_index('ix_feedback_invitation_survey_id_id', table_name='feedback_invitation')
    op.drop_constraint(op.f('uq_feedback_invitation_id'), 'feedback_invitation', type_='unique')
    op.drop_column('feedback_invitation', 'association_id')
    op.drop_column('feedback_invitation', 'id')
    op.drop_index('ix_association_active_kind', table_name='association')
    op.drop_table('association')

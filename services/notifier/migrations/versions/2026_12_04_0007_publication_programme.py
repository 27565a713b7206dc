"""notifier: a decisions publication keeps its grant programme, whose liaison contact the decision mails name

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: a publication kept before this knows no programme, and its late decisions name the coordinator.
    op.add_column("decision_publication", sa.Column("programme_id", UUID(as_uuid=True), nullable=True))


def downgrade() -> None:
    op.drop_column("decision_publication", "programme_id")

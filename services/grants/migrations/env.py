"""Alembic environment of the grants service's own database."""

from grants.adapters.tables import metadata
from shared.db.migrations import run_env

run_env(metadata)

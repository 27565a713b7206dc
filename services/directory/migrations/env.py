"""Alembic environment of the directory's own database."""

from directory.adapters.tables import metadata
from shared.db.migrations import run_env

run_env(metadata)

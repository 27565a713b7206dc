"""Alembic environment of the notifier service's own database."""

from notifier.adapters.tables import metadata
from shared.db.migrations import run_env

run_env(metadata)

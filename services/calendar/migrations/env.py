"""Alembic environment of the calendar service's own database."""

from calendar_service.adapters.tables import metadata
from shared.db.migrations import run_env

run_env(metadata)

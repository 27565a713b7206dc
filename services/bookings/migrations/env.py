"""Alembic environment of the bookings service's own database."""

from bookings.adapters.tables import metadata
from shared.db.migrations import run_env

run_env(metadata)

"""Named constraints, so migrations and error mapping can refer to them by name."""

from __future__ import annotations

from sqlalchemy import MetaData

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """A service's metadata, with the shared messaging tables (outbox, inbox, idempotency) on it."""
    from shared.db.tables import add_infrastructure_tables

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    add_infrastructure_tables(metadata)
    return metadata

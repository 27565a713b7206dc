"""Access to the shared messaging tables without each caller knowing the service's metadata."""

from __future__ import annotations

from sqlalchemy import MetaData, Table

from shared.db.tables import add_infrastructure_tables

_METADATA = MetaData()
add_infrastructure_tables(_METADATA)


def outbox_table() -> Table:
    return _METADATA.tables["outbox_message"]


def inbox_table() -> Table:
    return _METADATA.tables["inbox_message"]


def idempotency_table() -> Table:
    return _METADATA.tables["idempotency_record"]

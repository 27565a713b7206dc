"""The messaging tables every service has in its own database: outbox, inbox and idempotency keys."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


def timestamps() -> list[Column[object]]:
    """``created_at`` and ``updated_at``, kept by the database (the shared repository never writes them)."""
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


def add_infrastructure_tables(metadata: MetaData) -> None:
    Table(
        "outbox_message",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("routing_key", Text, nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("correlation_id", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("available_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
        Index("ix_outbox_message_unpublished", "id", postgresql_where=text("published_at IS NULL")),
        # What the retention job prunes: published rows, oldest first (shared.messaging.retention).
        Index("ix_outbox_message_published_at", "published_at", postgresql_where=text("published_at IS NOT NULL")),
    )
    Table(
        "inbox_message",
        metadata,
        Column("consumer", Text, nullable=False),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id"),
        Index("ix_inbox_message_received_at", "received_at"),  # the retention job prunes the oldest
    )
    Table(
        "idempotency_record",
        metadata,
        Column("scope", Text, nullable=False),  # the caller's subject: keys are per caller
        Column("key", Text, nullable=False),
        Column("fingerprint", Text, nullable=False),
        Column("status_code", SmallInteger, nullable=False),
        Column("response_body", JSONB, nullable=False),
        # The resource the request created, so erasing a person also erases replayable copies of it.
        Column("resource_id", UUID(as_uuid=True)),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("scope", "key"),
        Index("ix_idempotency_record_resource_id", "resource_id"),
    )

"""The directory's tables (its own database), beside the shared outbox, inbox and idempotency tables."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from shared.contracts.directory import MessageTopic
from shared.db import new_metadata
from shared.db.tables import timestamps

metadata = new_metadata()


applicant = Table(
    "applicant",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("business_id", Text),
    Column("register_number", Text),
    Column("fields_of_activity", ARRAY(Text), nullable=False, server_default="{}"),
    Column("district", Text),
    Column("languages", ARRAY(Text), nullable=False, server_default="{fi}"),
    Column("public_email", Text),
    Column("website", Text),
    Column("description", Text),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("revision", Integer, nullable=False, server_default=text("1")),
    *timestamps(),
    CheckConstraint("kind IN ('registered_association', 'unregistered_group', 'private_person')", name="kind_known"),
    CheckConstraint(
        "kind = 'registered_association' OR (business_id IS NULL AND register_number IS NULL)",
        name="only_associations_registered",
    ),
    # Two records for one legal person would split its grants and bookings.
    Index("uq_applicant_business_id", "business_id", unique=True, postgresql_where=text("business_id IS NOT NULL")),
    Index(
        "uq_applicant_register_number",
        "register_number",
        unique=True,
        postgresql_where=text("register_number IS NOT NULL"),
    ),
    Index("ix_applicant_fields_of_activity", "fields_of_activity", postgresql_using="gin"),
    Index("ix_applicant_name_lower", text("lower(name)")),
)

ALL_TOPICS = "{" + ",".join(MessageTopic) + "}"  # a representative hears of everything until they choose

representative = Table(
    "representative",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column(
        "applicant_id", UUID(as_uuid=True), ForeignKey("applicant.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("phone", Text),
    Column("notifications", ARRAY(Text), nullable=False, server_default=ALL_TOPICS),
    *timestamps(),
    Index("ix_representative_email_lower", text("lower(email)")),
)

department = Table(
    "department",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("code", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("description", Text),
    *timestamps(),
)

liaison_contact = Table(
    "liaison_contact",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("title", Text),
    Column("email", Text, nullable=False),
    Column("phone", Text),
    Column("department_id", UUID(as_uuid=True), ForeignKey("department.id"), index=True),
    Column("topics", ARRAY(Text), nullable=False, server_default="{}"),
    Column("subject_ref", Text),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    *timestamps(),
    CheckConstraint("kind = 'coordinator' OR department_id IS NOT NULL", name="department_unless_coordinator"),
    Index("ix_liaison_contact_email_lower", text("lower(email)")),
)

# Who erased personal data, when, and how much: accountability without keeping what was erased.
erasure_record = Table(
    "erasure_record",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("requested_by", Text, nullable=False),
    Column("counts", JSONB, nullable=False),
    Column("performed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# An erasure's part still to be done by another service (ADR 0015): the address stays only until the service
# has erased it, then the row goes. The worker retries with back-off; ``next_attempt_at`` orders the claims.
privacy_forward = Table(
    "privacy_forward",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("erasure_id", UUID(as_uuid=True), ForeignKey("erasure_record.id", ondelete="CASCADE"), nullable=False),
    Column("service", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("erasure_id", "service", name="uq_privacy_forward_erasure_service"),
    Index("ix_privacy_forward_next_attempt_at", "next_attempt_at"),
)

"""Bookings' tables (its own database), beside the shared outbox, inbox and idempotency tables.

The invariant that matters most lives here, not in Python: ``ex_occurrence_no_overlap`` keeps two active
occurrences of one facility from overlapping, buffers included (an occurrence holds its facility from its
start until ``blocked_until``, its end plus the buffer), however many requests race.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    Time,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID, ExcludeConstraint

from shared.copies import copy_table
from shared.db import new_metadata
from shared.db.tables import timestamps

metadata = new_metadata()

# -- copies of other services' records (shared.copies) ---------------------------------------------------------
applicant = copy_table(
    "applicant",
    metadata,
    Column("kind", Text),  # None while only a status event has arrived
    Column("name", Text),  # None for private persons: their names stay in the directory
    Column("active", Boolean, nullable=False),
)

department = copy_table(
    "department",
    metadata,
    Column("code", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
)

liaison_contact = copy_table(
    "liaison_contact",
    metadata,
    Column("kind", Text),
    Column("department_id", UUID(as_uuid=True)),
    Column("assigned", Boolean, nullable=False),
)

# grants' partnership agreements: their period and premises terms (PartnershipAgreementSigned / Ended)
partnership = Table(
    "partnership",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("applicant_id", UUID(as_uuid=True), nullable=False, index=True),
    # NULL while only PartnershipAgreementEnded has arrived (its own queue may overtake Signed)
    Column("department_code", Text),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("free_premises", Boolean, nullable=False),
    Column("facility_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    Column("ended_on", Date),
    Column("copied_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# -- facilities ----------------------------------------------------------------------------------------------
facility = Table(
    "facility",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("department_code", Text, nullable=False, index=True),
    Column("address", Text, nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("contact_id", UUID(as_uuid=True)),
    Column("accessibility", Text),
    Column("equipment", ARRAY(Text), nullable=False, server_default="{}"),
    Column("purposes", ARRAY(Text), nullable=False, server_default="{}"),
    Column("rules", JSONB, nullable=False),
    Column("pricing", JSONB, nullable=False),
    Column("weekly_hours", JSONB, nullable=False),
    Column("closed_on_holidays", Boolean, nullable=False, server_default=text("true")),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    *timestamps(),
    CheckConstraint("capacity > 0", name="capacity_positive"),
)

opening_exception = Table(
    "opening_exception",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("facility_id", UUID(as_uuid=True), ForeignKey("facility.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("opens", Time),
    Column("closes", Time),
    Column("reason", Text, nullable=False),
    *timestamps(),
    Index("uq_opening_exception_day", "facility_id", "day", unique=True),
    CheckConstraint("(opens IS NULL) = (closes IS NULL) AND (opens IS NULL OR closes > opens)", name="hours_valid"),
)

free_use_grant = Table(
    "free_use_grant",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("department_code", Text, nullable=False),
    Column("applicant_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("facility_id", UUID(as_uuid=True), ForeignKey("facility.id")),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("reason", Text, nullable=False),
    *timestamps(),
    CheckConstraint("valid_until >= valid_from", name="valid_until_after_valid_from"),
)

# -- bookings --------------------------------------------------------------------------------------------------
booking = Table(
    "booking",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("facility_id", UUID(as_uuid=True), ForeignKey("facility.id"), nullable=False, index=True),
    Column("department_code", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("applicant_id", UUID(as_uuid=True), index=True),
    Column("applicant_kind", Text),
    Column("hourly_cents", Integer, nullable=False),
    Column("free_use_reason", Text),
    Column("requested_by", Text, nullable=False),
    Column("purpose", Text),
    Column("terms_accepted_at", DateTime(timezone=True)),
    Column("local_starts", Time),
    Column("local_ends", Time),
    Column("first_day", Date),
    Column("last_day", Date),
    Column("skipped_days", ARRAY(Date), nullable=False, server_default="{}"),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_reason", Text),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("cancel_reason", Text),
    *timestamps(),
    CheckConstraint("kind IN ('single', 'series', 'block')", name="kind_known"),
    CheckConstraint("state IN ('requested', 'confirmed', 'rejected', 'cancelled')", name="state_known"),
    CheckConstraint("(kind = 'block') = (applicant_id IS NULL)", name="applicant_unless_block"),
)

occurrence = Table(
    "occurrence",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("booking_id", UUID(as_uuid=True), ForeignKey("booking.id"), nullable=False, index=True),
    Column("facility_id", UUID(as_uuid=True), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("blocked_until", DateTime(timezone=True), nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("late_cancellation", Boolean, nullable=False, server_default=text("false")),
    CheckConstraint("ends_at > starts_at AND blocked_until >= ends_at", name="slot_ordered"),
    CheckConstraint("price_cents >= 0", name="price_not_negative"),
    ExcludeConstraint(
        ("facility_id", "="),
        (func.tstzrange(text("starts_at"), text("blocked_until")), "&&"),
        name="ex_occurrence_no_overlap",
        using="gist",
        where=text("active"),
    ),
    Index("ix_occurrence_facility_starts", "facility_id", "starts_at"),
)

# -- calendar feeds -------------------------------------------------------------------------------------------
calendar_feed = Table(
    "calendar_feed",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("applicant_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("created_by", Text, nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    *timestamps(),
)

# -- seasonal rounds of regular weekly slots (vakiovuorot) ------------------------------------------------------
season_round = Table(
    "season_round",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("department_code", Text, nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("opens_at", DateTime(timezone=True), nullable=False),
    Column("closes_at", DateTime(timezone=True), nullable=False),
    Column("season_starts_on", Date, nullable=False),
    Column("season_ends_on", Date, nullable=False),
    Column("facility_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    Column("principles", Text, nullable=False, server_default=""),
    Column("principles_version", Integer, nullable=False, server_default=text("1")),
    Column("free_use", Boolean, nullable=False, server_default=text("false")),
    Column("weights", JSONB, nullable=False),  # allocation_model.Weights: the principles as numbers
    Column("opened_principles_version", Integer),
    Column("opened_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    *timestamps(),
    CheckConstraint("state IN ('draft', 'open', 'closed', 'proposed', 'published')", name="state_known"),
    CheckConstraint("closes_at >= opens_at", name="closes_after_opens"),  # equal: closed by hand as it opened
    CheckConstraint("season_ends_on >= season_starts_on", name="season_ordered"),
)

# every version of a round's allocation principles, as it was adopted (the round keeps the one it opened with)
season_principles = Table(
    "season_principles",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("round_id", UUID(as_uuid=True), ForeignKey("season_round.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("uq_season_principles_round_version", "round_id", "version", unique=True),
)

season_application = Table(
    "season_application",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("round_id", UUID(as_uuid=True), ForeignKey("season_round.id"), nullable=False),
    Column("applicant_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("wishes", JSONB, nullable=False, server_default="[]"),
    Column("submitted_at", DateTime(timezone=True)),
    Column("withdrawn_at", DateTime(timezone=True)),
    *timestamps(),
    CheckConstraint("state IN ('draft', 'submitted', 'withdrawn')", name="state_known"),
    # one live application per association and round; a withdrawn one may be followed by a new one
    Index(
        "uq_season_application_live",
        "round_id",
        "applicant_id",
        unique=True,
        postgresql_where=text("state <> 'withdrawn'"),
    ),
)

# the allocation proposal computed for a round (one at a time; computing again replaces it)
season_proposal = Table(
    "season_proposal",
    metadata,
    Column("round_id", UUID(as_uuid=True), ForeignKey("season_round.id"), primary_key=True),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("weighted_demand", BigInteger, nullable=False),
    Column("weighted_met", BigInteger, nullable=False),
    Column("slots_met", Integer, nullable=False),
    Column("slots_wished", Integer, nullable=False),
    Column("wishes_met", Integer, nullable=False),
    Column("wishes_total", Integer, nullable=False),
    Column("weights", JSONB, nullable=False),
    Column("slots", JSONB, nullable=False),
    Column("unmet", JSONB, nullable=False),
    Column("rejected", JSONB, nullable=False, server_default="[]"),  # wishes staff turned down, with the reason
    Column("published_at", DateTime(timezone=True)),  # its slots became the season's confirmed series
    Column("objective", BigInteger, nullable=False, server_default=text("0")),  # the solver's score of its answer
    Column("notes", JSONB, nullable=False, server_default="[]"),  # the solver's notes (parts that kept the greedy)
    CheckConstraint("weighted_met <= weighted_demand", name="met_within_demand"),
)

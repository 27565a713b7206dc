"""The grants service's tables (its own database), beside the shared outbox, inbox and idempotency tables.

Invariants that must hold under concurrency live here as constraints: a round's reserved money never exceeds
its appropriation nor goes below zero; one round per programme and year; one decision per application.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from shared.copies import copy_table
from shared.db import new_metadata
from shared.db.tables import timestamps

metadata = new_metadata()


def _uuid_pk() -> Column[object]:
    return Column("id", UUID(as_uuid=True), primary_key=True)


# -- copies of the directory's data, kept from its events (``shared.copies``) -------------------------------
applicant = copy_table(
    "applicant",
    metadata,
    # kind is None while only a status event (deactivated/reactivated) has arrived: the applicant is unknown
    Column("kind", Text),
    Column("name", Text),  # None for private persons: their names stay in the directory
    Column("active", Boolean, nullable=False),
)

department = copy_table(
    "department",
    metadata,
    Column("code", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
)

# Who answers for a department, programme or partnership: ids and roles only, no names (they are the
# directory's personal data). kind is None while only LiaisonUnassigned has arrived; unassigned ones are kept
# so that a late LiaisonAssigned cannot bring them back.
liaison_contact = copy_table(
    "liaison_contact",
    metadata,
    Column("kind", Text),
    Column("department_id", UUID(as_uuid=True)),
    Column("subject_ref", Text),
    Column("assigned", Boolean, nullable=False),
)

# -- programmes, principles and rounds ------------------------------------------------------------------------
grant_programme = Table(
    "grant_programme",
    metadata,
    _uuid_pk(),
    Column("name", Text, nullable=False),
    Column("description", Text),
    Column("kind", Text, nullable=False),
    Column("intake", Text, nullable=False),
    Column("department_code", Text, nullable=False),
    Column("eligible_kinds", ARRAY(Text), nullable=False),
    Column("fields_of_activity", ARRAY(Text), nullable=False, server_default="{}"),
    Column("responsible_liaison_id", UUID(as_uuid=True)),  # a liaison contact in the directory
    Column("fixed_amount_cents", BigInteger),  # light grants: every grant is this amount ...
    Column("max_amount_cents", BigInteger),  # ... or at most this
    Column("active", Boolean, nullable=False, server_default=text("true")),
    *timestamps(),
    CheckConstraint("kind IN ('operating', 'project', 'event', 'light')", name="kind_known"),
    CheckConstraint("intake IN ('yearly_round', 'continuous')", name="intake_known"),
    CheckConstraint("fixed_amount_cents IS NULL OR fixed_amount_cents > 0", name="fixed_amount_positive"),
    CheckConstraint("max_amount_cents IS NULL OR max_amount_cents > 0", name="max_amount_positive"),
)

principles_version = Table(
    "principles_version",
    metadata,
    _uuid_pk(),
    Column("programme_id", UUID(as_uuid=True), ForeignKey("grant_programme.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("adopted_on", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("programme_id", "version", name="uq_principles_version_programme_version"),
)

grant_round = Table(
    "grant_round",
    metadata,
    _uuid_pk(),
    Column("programme_id", UUID(as_uuid=True), ForeignKey("grant_programme.id"), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("principles_version_id", UUID(as_uuid=True), ForeignKey("principles_version.id"), nullable=False),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("opens_at", DateTime(timezone=True), nullable=False),
    Column("closes_at", DateTime(timezone=True), nullable=False),
    Column("appropriation_cents", BigInteger, nullable=False),
    # Money promised: approved decisions (rounds) or granted light grants (continuous intake).
    Column("reserved_cents", BigInteger, nullable=False, server_default=text("0")),
    Column("decision_deadline", Date),
    Column("usage_report_deadline", Date),
    Column("opened_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True)),
    *timestamps(),
    UniqueConstraint("programme_id", "year", name="uq_grant_round_programme_year"),
    CheckConstraint("state IN ('draft', 'scheduled', 'open', 'closed', 'published')", name="state_known"),
    CheckConstraint("appropriation_cents > 0", name="appropriation_positive"),
    CheckConstraint("reserved_cents >= 0 AND reserved_cents <= appropriation_cents", name="within_appropriation"),
    CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    Index("ix_grant_round_due", "state", "opens_at", "closes_at"),
)

# -- applications, reviews, decisions ------------------------------------------------------------------------
application = Table(
    "application",
    metadata,
    _uuid_pk(),
    Column("round_id", UUID(as_uuid=True), ForeignKey("grant_round.id"), nullable=False, index=True),
    Column("applicant_id", UUID(as_uuid=True), ForeignKey("applicant.id"), nullable=False, index=True),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("purpose", Text, nullable=False),
    Column("planned_activity", Text, nullable=False, server_default=""),
    Column("requested_cents", BigInteger, nullable=False),
    Column("budget", JSONB, nullable=False, server_default="[]"),  # [{kind, description, amount_cents}]
    Column("attachments", JSONB, nullable=False, server_default="[]"),  # metadata only
    Column("completion_request", Text),  # staff's message when returned for completion
    Column("submitted_at", DateTime(timezone=True)),
    Column("created_by", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default=text("1")),
    *timestamps(),
    CheckConstraint("state IN ('draft', 'submitted', 'returned', 'withdrawn', 'decided')", name="state_known"),
    CheckConstraint("requested_cents > 0", name="requested_positive"),
)

review_comment = Table(
    "review_comment",
    metadata,
    _uuid_pk(),
    Column("application_id", UUID(as_uuid=True), ForeignKey("application.id"), nullable=False, index=True),
    Column("author", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

review_score = Table(
    "review_score",
    metadata,
    Column("application_id", UUID(as_uuid=True), ForeignKey("application.id"), nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("criterion", Text, nullable=False),
    Column("score", SmallInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("application_id", "reviewer", "criterion"),
    CheckConstraint("score BETWEEN 0 AND 5", name="score_range"),
)

decision = Table(
    "decision",
    metadata,
    Column("application_id", UUID(as_uuid=True), ForeignKey("application.id"), primary_key=True),
    Column("round_id", UUID(as_uuid=True), ForeignKey("grant_round.id"), nullable=False, index=True),
    Column("approved_cents", BigInteger, nullable=False),
    Column("rationale", Text, nullable=False),
    Column("decided_by", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("approved_cents >= 0", name="approved_not_negative"),
)

# -- usage reports ------------------------------------------------------------------------------------------
usage_report = Table(
    "usage_report",
    metadata,
    _uuid_pk(),
    Column("application_id", UUID(as_uuid=True), ForeignKey("application.id"), nullable=False, unique=True),
    Column("applicant_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("due_date", Date, nullable=False),
    Column("state", Text, nullable=False, server_default="pending"),
    Column("spent_cents", BigInteger),
    Column("narrative", Text),
    Column("staff_message", Text),
    Column("submitted_at", DateTime(timezone=True)),
    Column("accepted_at", DateTime(timezone=True)),
    Column("due_reminder_sent_at", DateTime(timezone=True)),
    Column("overdue_notice_sent_at", DateTime(timezone=True)),
    *timestamps(),
    CheckConstraint("state IN ('pending', 'submitted', 'changes_requested', 'accepted')", name="state_known"),
    CheckConstraint("spent_cents IS NULL OR spent_cents >= 0", name="spent_not_negative"),
)

# -- partnership agreements -----------------------------------------------------------------------------------
partnership_call = Table(
    "partnership_call",
    metadata,
    _uuid_pk(),
    Column("department_code", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("fields_of_activity", ARRAY(Text), nullable=False, server_default="{}"),
    Column("closes_at", DateTime(timezone=True), nullable=False),
    Column("created_by", Text, nullable=False),
    *timestamps(),
)

partnership_agreement = Table(
    "partnership_agreement",
    metadata,
    _uuid_pk(),
    Column("applicant_id", UUID(as_uuid=True), ForeignKey("applicant.id"), nullable=False, index=True),
    Column("department_code", Text, nullable=False),
    Column("call_id", UUID(as_uuid=True), ForeignKey("partnership_call.id")),
    Column("initiative", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("goals", Text, nullable=False, server_default=""),
    Column("state", Text, nullable=False, server_default="proposed"),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("responsible_liaison_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    # The premises terms: NULL when the agreement says nothing of premises; no facility ids: all of them.
    Column("premises_free_use", Boolean),
    Column("premises_facility_ids", ARRAY(UUID(as_uuid=True))),
    Column("signed_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    Column("rejection_reason", Text),
    Column("created_by", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default=text("1")),
    *timestamps(),
    CheckConstraint("initiative IN ('city_staff', 'elected_official', 'association', 'call')", name="initiative_known"),
    CheckConstraint(
        "state IN ('proposed', 'in_preparation', 'approved', 'rejected', 'active', 'ended')", name="state_known"
    ),
    CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on > starts_on", name="ends_after_start"),
    CheckConstraint("(premises_free_use IS NULL) = (premises_facility_ids IS NULL)", name="premises_terms_whole"),
)

partnership_discussion = Table(
    "partnership_discussion",
    metadata,
    _uuid_pk(),
    Column("agreement_id", UUID(as_uuid=True), ForeignKey("partnership_agreement.id"), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("held_on", Date),
    Column("notes", Text),
    Column("agreed_actions", JSONB, nullable=False, server_default="[]"),
    Column("due_notice_sent_at", DateTime(timezone=True)),
    *timestamps(),
    UniqueConstraint("agreement_id", "due_on", name="uq_partnership_discussion_agreement_due_on"),
)

"""The notifier's tables: subscribers (its own personal data), newsletter issues, deliveries and opt-outs.

A delivery is one mail to one recipient for one source (an issue, a confirmation, an event): the unique
``(source, recipient_ref)`` is what makes a second copy impossible, whoever asks twice.
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
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from shared.copies import copy_table
from shared.db.metadata import new_metadata
from shared.db.tables import timestamps

metadata = new_metadata()

LANGUAGES = "('fi', 'sv', 'en')"

subscriber = Table(
    "subscriber",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("email", Text, nullable=False),
    Column("email_digest", Text, nullable=False),
    Column("language", Text, nullable=False, server_default="fi"),
    Column("fields_of_activity", ARRAY(Text), nullable=False, server_default="{}"),
    Column("districts", ARRAY(Text), nullable=False, server_default="{}"),
    Column("association_kinds", ARRAY(Text), nullable=False, server_default="{}"),
    Column("state", Text, nullable=False),
    Column("confirmations_sent", Integer, nullable=False, server_default=text("0")),
    Column("confirmed_at", DateTime(timezone=True)),
    Column("unsubscribed_at", DateTime(timezone=True)),
    *timestamps(),
    CheckConstraint(f"language IN {LANGUAGES}", name="language_known"),
    CheckConstraint("state IN ('pending', 'confirmed', 'unsubscribed')", name="state_known"),
    Index("uq_subscriber_email_digest", "email_digest", unique=True),
    Index("ix_subscriber_state", "state"),
)

newsletter_issue = Table(
    "newsletter_issue",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("state", Text, nullable=False),
    Column("subject_fi", Text, nullable=False),
    Column("body_fi", Text, nullable=False),
    Column("subject_sv", Text),
    Column("body_sv", Text),
    Column("subject_en", Text),
    Column("body_en", Text),
    Column("fields_of_activity", ARRAY(Text), nullable=False, server_default="{}"),
    Column("districts", ARRAY(Text), nullable=False, server_default="{}"),
    Column("association_kinds", ARRAY(Text), nullable=False, server_default="{}"),
    Column("languages", ARRAY(Text), nullable=False, server_default="{}"),
    Column("department_code", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("send_at", DateTime(timezone=True)),
    Column("fan_out_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("recipients", Integer),
    Column("clock_entry_id", UUID(as_uuid=True)),  # the annual clock's newsletter entry it was scheduled on
    *timestamps(),
    CheckConstraint("state IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled')", name="state_known"),
    CheckConstraint("state <> 'scheduled' OR send_at IS NOT NULL", name="scheduled_has_time"),
    CheckConstraint("(subject_sv IS NULL) = (body_sv IS NULL)", name="sv_complete"),
    CheckConstraint("(subject_en IS NULL) = (body_en IS NULL)", name="en_complete"),
    Index("ix_newsletter_issue_state_send_at", "state", "send_at"),
)

delivery = Table(
    "delivery",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    # What the mail is for: "newsletter:<issue>", "confirmation:<subscriber>:<n>", "<event type>:<event id>".
    Column("source", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("issue_id", UUID(as_uuid=True), ForeignKey("newsletter_issue.id", ondelete="CASCADE")),
    Column("subscriber_id", UUID(as_uuid=True), ForeignKey("subscriber.id", ondelete="CASCADE")),
    # Who: "subscriber:<id>", "representative:<id>" or "staff:<subject>"; never the address itself.
    Column("recipient_ref", Text, nullable=False),
    Column("recipient_digest", Text, nullable=False),
    # The address of a recipient the notifier does not own (a representative, resolved from the directory at
    # send time), kept only until the mail is sent; a subscriber's is read from the subscriber row.
    Column("address", Text),
    Column("language", Text, nullable=False, server_default="fi"),
    # The mail itself, when it is not an issue (rendered once, at send time): subject, plain text, HTML.
    Column("subject", Text),
    Column("text_body", Text),
    Column("html_body", Text),
    Column("message_id", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Column("claimed_until", DateTime(timezone=True)),
    # Set, and committed, just before the mail goes to the SMTP server; cleared once its outcome is recorded. A
    # claim taken up again with this set is in doubt: the server may have accepted the mail already.
    Column("handed_over_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    *timestamps(),
    UniqueConstraint("source", "recipient_ref", name="uq_delivery_source_recipient"),
    UniqueConstraint("message_id", name="uq_delivery_message_id"),
    CheckConstraint("state IN ('pending', 'sending', 'sent', 'failed')", name="state_known"),
    CheckConstraint("kind IN ('newsletter', 'confirmation', 'test', 'notification')", name="kind_known"),
    CheckConstraint(f"language IN {LANGUAGES}", name="language_known"),
    CheckConstraint("state <> 'sent' OR address IS NULL", name="address_forgotten_once_sent"),
    Index("ix_delivery_due", "next_attempt_at", postgresql_where=text("state IN ('pending', 'sending')")),
    Index("ix_delivery_issue_state", "issue_id", "state"),
    Index("ix_delivery_recipient_digest", "recipient_digest"),
)

# A representative who unsubscribed from the notifications: the notifier's own record, by id only.
opt_out = Table(
    "opt_out",
    metadata,
    Column("recipient_ref", Text, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
)

# Grants' decisions as they are made (ApplicationDecided), kept until their round's publication announces them:
# a decision may change until it is published, so its mail waits for DecisionsPublished. No personal data.
grant_decision = Table(
    "grant_decision",
    metadata,
    Column("application_id", UUID(as_uuid=True), primary_key=True),
    Column("round_id", UUID(as_uuid=True), nullable=False),
    Column("applicant_id", UUID(as_uuid=True), nullable=False),
    Column("requested_cents", BigInteger, nullable=False),
    Column("approved_cents", BigInteger, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("announced_at", DateTime(timezone=True)),
    Index("ix_grant_decision_round_unannounced", "round_id", postgresql_where=text("announced_at IS NULL")),
)

# Each publication of a round's decisions (a continuous round publishes several): a decision that arrives after
# the publication that covers it (the two events travel in different queues) is announced on arrival.
decision_publication = Table(
    "decision_publication",
    metadata,
    Column("round_id", UUID(as_uuid=True), primary_key=True),
    Column("published_at", DateTime(timezone=True), primary_key=True),
    Column("event_source", Text, nullable=False),
    Column("programme_id", UUID(as_uuid=True), nullable=True),
)

# The calendar's planned newsletter dates (NewsletterDatePlanned / Withdrawn, ADR 0014): a copy, ordered by the
# clock entry's revision; a withdrawal that comes first leaves a placeholder (planned_on NULL).
newsletter_date = copy_table(
    "newsletter_date",
    metadata,
    Column("clock_entry_id", UUID(as_uuid=True)),
    Column("year", Integer),
    Column("planned_on", Date),
    Column("title_fi", Text),
    Column("withdrawn", Boolean, nullable=False, server_default=text("false")),
    Index("ix_newsletter_date_year_planned_on", "year", "planned_on"),
)

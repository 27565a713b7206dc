"""The calendar service's tables (its own database), beside the shared outbox, inbox and idempotency tables.

The schedule's entries are kept with ``shared.copies``' guarded writes: an entry's id follows from its source,
``revision`` orders the events of that source (their ``occurred_at``), so a redelivered or late event changes
nothing that is already as new, and a status event arriving before its source's dates leaves a placeholder.
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
    Identity,
    Index,
    Integer,
    SmallInteger,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from shared.copies import copy_table
from shared.db import new_metadata
from shared.db.tables import timestamps

metadata = new_metadata()

CATEGORIES = (
    "grant_application", "usage_report", "association_evening", "newsletter", "partnership_discussion",
    "evaluation", "event", "cooperation_group", "other",
)  # fmt: skip
AUDIENCES = ("everyone", "associations", "grantees", "partners", "staff")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


clock_entry = Table(
    "clock_entry",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("title_fi", Text, nullable=False),
    Column("title_sv", Text),
    Column("title_en", Text),
    Column("description_fi", Text, nullable=False, server_default=""),
    Column("description_sv", Text),
    Column("description_en", Text),
    Column("category", Text, nullable=False),
    Column("audience", Text, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("day", SmallInteger),
    Column("weekday", SmallInteger),
    Column("week", SmallInteger),
    Column("duration_days", SmallInteger, nullable=False, server_default=text("1")),
    Column("responsible_department", Text),
    Column("responsible_liaison_id", UUID(as_uuid=True)),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    *timestamps(),
    CheckConstraint(_one_of("category", CATEGORIES), name="category_known"),
    CheckConstraint(_one_of("audience", AUDIENCES), name="audience_known"),
    CheckConstraint("month BETWEEN 1 AND 12", name="month_in_year"),
    CheckConstraint("day IS NULL OR day BETWEEN 1 AND 31", name="day_in_month"),
    CheckConstraint("duration_days BETWEEN 1 AND 92", name="duration_days_bounded"),
    CheckConstraint(
        "responsible_department IS NOT NULL OR responsible_liaison_id IS NOT NULL", name="responsible_named"
    ),
)

# The schedule: planned entries (from the clock, per year) and dated ones (from grants' events, later the
# notifier's and bookings', and the calendar's own events). Columns other than the state are NULL in a
# placeholder (only a status event of the source has arrived).
schedule_entry = copy_table(
    "schedule_entry",
    metadata,
    Column("kind", Text),
    Column("source_id", UUID(as_uuid=True)),
    Column("year", SmallInteger),
    Column("category", Text),
    Column("audience", Text),
    Column("title_fi", Text),
    Column("title_sv", Text),
    Column("title_en", Text),
    Column("description_fi", Text),
    Column("starts_on", Date),
    Column("ends_on", Date),
    Column("starts_at", DateTime(timezone=True)),
    Column("ends_at", DateTime(timezone=True)),
    Column("clock_entry_id", UUID(as_uuid=True)),
    Column("programme_id", UUID(as_uuid=True)),
    Column("association_id", UUID(as_uuid=True)),  # set: the association's own entry, never public
    Column("facility_id", UUID(as_uuid=True)),  # a city facility (bookings' id), or
    Column("address", Text),  # a street address
    Column("online_url", Text),
    Column("state", Text, nullable=False),
    CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    Index("ix_schedule_entry_year_starts_on", "year", "starts_on"),
    Index("ix_schedule_entry_association_id", "association_id"),
)

# Grants' programmes, kept from GrantProgrammeCreated, for the names of application periods.
grant_programme = copy_table(
    "grant_programme",
    metadata,
    Column("name", Text),
    Column("department_code", Text),
)

# Bookings' facilities, kept from FacilityRegistered: where an event may be held (name and address only).
facility = copy_table(
    "facility",
    metadata,
    Column("name", Text),
    Column("address", Text),
    Column("department_code", Text),
)

# The directory's applicants, kept from its Association* events and the first fill (``calendar sync-directory``):
# whom the yearly evaluation invites. Ids and public facts only (ADR 0003): no names, no representatives.
association = copy_table(
    "association",
    metadata,
    Column("kind", Text),  # None while only a status event has arrived
    Column("fields_of_activity", ARRAY(Text)),
    Column("active", Boolean, nullable=False),
    Index("ix_association_active_kind", "active", "kind"),
)

# -- events for associations and their registrations ---------------------------------------------------------
EVENT_KINDS = ("info", "discussion", "networking", "workshop", "association_evening", "cooperation_group_meeting")
EVENT_STATES = ("draft", "published", "postponed", "cancelled", "held")

calendar_event = Table(
    "calendar_event",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("title_fi", Text, nullable=False),
    Column("title_sv", Text),
    Column("title_en", Text),
    Column("description_fi", Text, nullable=False, server_default=""),
    Column("audience", Text, nullable=False),
    Column("department_code", Text, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("facility_id", UUID(as_uuid=True)),
    Column("address", Text),
    Column("online_url", Text),
    Column("capacity", Integer),
    Column("registration_opens_at", DateTime(timezone=True)),
    Column("registration_closes_at", DateTime(timezone=True)),
    Column("cancellation_cutoff_at", DateTime(timezone=True)),
    Column("state", Text, nullable=False),
    # The sum of confirmed participants: moved only with the event's row locked; never above the capacity.
    Column("seats_taken", Integer, nullable=False, server_default=text("0")),
    Column("materials", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("agenda_md", Text),  # a cooperation group meeting's agenda and minutes (Markdown)
    Column("minutes_md", Text),
    Column("revision", Integer, nullable=False, server_default=text("1")),
    *timestamps(),
    CheckConstraint(_one_of("kind", EVENT_KINDS), name="kind_known"),
    CheckConstraint(_one_of("state", EVENT_STATES), name="state_known"),
    CheckConstraint(_one_of("audience", AUDIENCES), name="audience_known"),
    CheckConstraint("ends_at > starts_at", name="ends_at_after_start"),
    CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    CheckConstraint("seats_taken >= 0 AND (capacity IS NULL OR seats_taken <= capacity)", name="seats_within_capacity"),
    Index("ix_calendar_event_starts_at", "starts_at"),
)

registration = Table(
    "registration",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("event_id", UUID(as_uuid=True), ForeignKey("calendar_event.id"), nullable=False),
    Column("association_id", UUID(as_uuid=True), nullable=False),
    Column("participants", SmallInteger, nullable=False),
    Column("state", Text, nullable=False),
    # The order of arrival, first come first served (a sequence: concurrent inserts never share a number).
    Column("queue_number", BigInteger, Identity(), nullable=False),
    # Personal data of the calendar's own (ADR 0003): never in events or logs; erased on request (blanked).
    Column("contact_name", Text),
    Column("contact_email", Text),
    Column("contact_phone", Text),
    Column("contact_language", Text, nullable=False, server_default="fi"),
    Column("registered_by", Text, nullable=False),
    Column("promoted_at", DateTime(timezone=True)),
    Column("cancelled_at", DateTime(timezone=True)),
    *timestamps(),
    CheckConstraint("participants BETWEEN 1 AND 50", name="participants_bounded"),
    CheckConstraint("state IN ('confirmed', 'waitlisted', 'cancelled')", name="state_known"),
    CheckConstraint("contact_language IN ('fi', 'sv', 'en')", name="contact_language_known"),
    # One registration of an association per event at a time (add participants by cancelling and registering).
    Index(
        "uq_registration_event_association",
        "event_id",
        "association_id",
        unique=True,
        postgresql_where=text("state <> 'cancelled'"),
    ),
    Index("ix_registration_event_waiting", "event_id", "queue_number", postgresql_where=text("state = 'waitlisted'")),
    Index("ix_registration_association_id", "association_id"),
)

# The generation of each association's feed link: revoking moves it on, so older links stop working.
feed_link = Table(
    "feed_link",
    metadata,
    Column("association_id", UUID(as_uuid=True), primary_key=True),
    Column("generation", Integer, nullable=False, server_default=text("1")),
    *timestamps(),
)

# -- the cooperation group's members: organisations, with a representative's name and role as staff type them --
MEMBER_KINDS = ("association", "city", "wellbeing_services_county", "other_partner")

cooperation_group_member = Table(
    "cooperation_group_member",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("organisation", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("role_fi", Text, nullable=False),
    Column("representative", Text),
    Column("directory_id", UUID(as_uuid=True)),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    *timestamps(),
    CheckConstraint(_one_of("kind", MEMBER_KINDS), name="kind_known"),
    CheckConstraint("(kind = 'association') = (directory_id IS NOT NULL)", name="association_has_directory_id"),
)

# -- feedback surveys: the survey, its invitations (hashes only) and its anonymous answers ---------------------
SURVEY_AUDIENCES = ("event_participants", "all_associations")
SURVEY_STATES = ("draft", "open", "closed")

feedback_survey = Table(
    "feedback_survey",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("title_fi", Text, nullable=False),
    Column("description_fi", Text, nullable=False, server_default=""),
    Column("department_code", Text, nullable=False),
    Column("audience", Text, nullable=False),
    Column("event_id", UUID(as_uuid=True), ForeignKey("calendar_event.id")),
    Column("year", SmallInteger),
    Column("questions", JSONB, nullable=False),
    Column("opens_at", DateTime(timezone=True), nullable=False),
    Column("closes_at", DateTime(timezone=True), nullable=False),
    Column("state", Text, nullable=False),
    Column("invitations", Integer, nullable=False, server_default=text("0")),
    Column("revision", Integer, nullable=False, server_default=text("1")),
    *timestamps(),
    CheckConstraint(_one_of("audience", SURVEY_AUDIENCES), name="audience_known"),
    CheckConstraint(_one_of("state", SURVEY_STATES), name="state_known"),
    CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    CheckConstraint("(audience = 'event_participants') = (event_id IS NOT NULL)", name="event_names_its_audience"),
    Index("ix_feedback_survey_event_id", "event_id"),
)

# An invitation: the hash of its random token, and whether it was answered. No time of use (nothing to
# set beside an answer's), and every answer rewrites all of its survey's invitations (adapters/surveys.py).
# The token is re-derived from the id and the signing key when the invitation is handed again (ADR 0013).
feedback_invitation = Table(
    "feedback_invitation",
    metadata,
    Column("token_hash", Text, primary_key=True),
    Column("id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("survey_id", UUID(as_uuid=True), ForeignKey("feedback_survey.id"), nullable=False),
    Column("registration_id", UUID(as_uuid=True)),  # whom an event survey invites, or
    Column("association_id", UUID(as_uuid=True)),  # which association the yearly evaluation invites
    Column("used", Boolean, nullable=False, server_default=text("false")),
    Index("ix_feedback_invitation_survey_id", "survey_id"),
    Index("ix_feedback_invitation_survey_id_id", "survey_id", "id"),  # the page of a survey's invitations
)

# An anonymous answer: a random id, its survey, the day (no finer time), the answers. Nothing of the invitation.
feedback_answer = Table(
    "feedback_answer",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("survey_id", UUID(as_uuid=True), ForeignKey("feedback_survey.id"), nullable=False),
    Column("answered_on", Date, nullable=False),
    Column("answers", JSONB, nullable=False),
    Index("ix_feedback_answer_survey_id", "survey_id"),
)
